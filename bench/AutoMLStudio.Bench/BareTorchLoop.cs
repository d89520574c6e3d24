using AutoMLStudio.Engine.Data;
using AutoMLStudio.Engine.Models;
using AutoMLStudio.Engine.Spaces;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoMLStudio.Bench;

/// <summary>
/// The loop a TorchSharp developer would write by hand for the same model and data: the whole set as one tensor,
/// a random permutation per epoch, batches gathered with <c>index_select</c>, no validation and no checkpoints.
/// </summary>
public static class BareTorchLoop
{
    public static TimedRun Run(TrialConfig config, ImageTensorData train, int threads, int seed)
    {
        torch.set_num_threads(threads);
        torch.random.manual_seed(seed);
        var clock = new RunClock();
        using var model = CnnModelFactory.Build(config.Architecture);
        using var optimizer = optim.Adam(model.parameters(), config.Training.LearningRate);
        using var x = torch.tensor(train.Pixels, [train.Count, train.Channels, train.Size, train.Size]);
        using var y = torch.tensor(train.Labels.Select(l => (long)l).ToArray());
        var batchSize = config.Training.BatchSize;
        model.train();
        for (var epoch = 0; epoch < config.Training.Epochs; epoch++)
        {
            using var order = torch.randperm(train.Count);
            for (var start = 0; start < train.Count; start += batchSize)
            {
                using var scope = torch.NewDisposeScope();
                var indices = order.narrow(0, start, Math.Min(batchSize, train.Count - start));
                optimizer.zero_grad();
                var loss = nn.functional.cross_entropy(model.forward(x.index_select(0, indices)), y.index_select(0, indices));
                loss.backward();
                optimizer.step();
            }
        }
        return new TimedRun((long)train.Count * config.Training.Epochs, clock.Seconds, clock.Seconds, clock.CpuSeconds);
    }
}
