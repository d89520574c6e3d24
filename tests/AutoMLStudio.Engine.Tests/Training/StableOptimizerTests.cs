using AutoMLStudio.Engine.Native;
using AutoMLStudio.Engine.Spaces;
using AutoMLStudio.Engine.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoMLStudio.Engine.Tests.Training;

/// <summary>The optimizers that keep their scalars alive update weights exactly as TorchSharp's own, and resume from a file.</summary>
[Collection(TorchCollection.Name)]
public sealed class StableOptimizerTests : IDisposable
{
    private readonly TempFolders _folders = new();

    public StableOptimizerTests() => TorchNative.EnsureLoaded();

    public void Dispose() => _folders.Dispose();

    public static TheoryData<string, bool> Optimizers => new() { { "adam", false }, { "adamw", false }, { "sgd", false }, { "sgd", true } };

    private static nn.Module<Tensor, Tensor> Network(int seed)
    {
        torch.random.manual_seed(seed);
        return nn.Sequential(nn.Linear(6, 8), nn.ReLU(), nn.Linear(8, 3));
    }

    private static void Backward(nn.Module<Tensor, Tensor> network, int batch)
    {
        using var scope = torch.NewDisposeScope();
        torch.random.manual_seed(100 + batch);
        var x = torch.randn(16, 6);
        var y = torch.randint(0, 3, [16], torch.int64);
        nn.functional.cross_entropy(network.forward(x), y).backward();
    }

    private static float[] Weights(nn.Module network) => [.. network.parameters().SelectMany(p => p.detach().cpu().data<float>().ToArray())];

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Five_steps_move_the_weights_as_torchsharps_own_optimizer_does(string kind, bool nesterov)
    {
        var settings = new TrainingSettings(kind, 0.05, 0.01, 16, 1, Nesterov: nesterov);
        using var ours = Network(1);
        using var theirs = Network(1);
        using var stable = StableOptimizer.Create(ours.parameters(), settings);
        using var reference = kind switch
        {
            "adam" => (optim.Optimizer)optim.Adam(theirs.parameters(), 0.05, weight_decay: 0.01),
            "adamw" => optim.AdamW(theirs.parameters(), 0.05, weight_decay: 0.01),
            _ => optim.SGD(theirs.parameters(), 0.05, momentum: 0.9, weight_decay: 0.01, nesterov: nesterov),
        };

        for (var batch = 0; batch < 5; batch++)
        {
            stable.ZeroGrad();
            Backward(ours, batch);
            stable.Step();
            reference.zero_grad();
            Backward(theirs, batch);
            reference.step();
        }

        var expected = Weights(theirs);
        var actual = Weights(ours);
        Assert.NotEqual(Weights(Network(1)), actual);
        Assert.All(expected.Zip(actual), pair => Assert.Equal(pair.First, pair.Second, 5));
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Saved_and_loaded_mid_way_it_continues_exactly_as_without_the_break(string kind, bool nesterov)
    {
        var settings = new TrainingSettings(kind, 0.05, 0.01, 16, 1, Nesterov: nesterov);
        var path = Path.Combine(_folders.New(), "optimizer");
        using var straight = Network(2);
        using var straightOptimizer = StableOptimizer.Create(straight.parameters(), settings);
        using var resumed = Network(2);
        using (var first = StableOptimizer.Create(resumed.parameters(), settings))
        {
            for (var batch = 0; batch < 3; batch++)
            {
                first.ZeroGrad();
                Backward(resumed, batch);
                first.Step();
            }
            first.Save(path);
        }
        using var second = StableOptimizer.Create(resumed.parameters(), settings);
        Assert.True(second.Load(path));

        for (var batch = 0; batch < 5; batch++)
        {
            straightOptimizer.ZeroGrad();
            Backward(straight, batch);
            straightOptimizer.Step();
            if (batch < 3) continue;
            second.ZeroGrad();
            Backward(resumed, batch);
            second.Step();
        }

        Assert.Equal(Weights(straight), Weights(resumed));
    }

    [Fact]
    public void A_state_file_of_torchsharps_optimizer_is_not_read_and_one_for_another_network_is_refused()
    {
        var folder = _folders.New();
        using var network = Network(3);
        using (var adam = optim.Adam(network.parameters(), 0.01)) adam.save_state_dict(Path.Combine(folder, "torchsharp"));
        using var stable = StableOptimizer.Create(network.parameters(), new TrainingSettings("adam", 0.01, 0, 16, 1));
        Assert.False(stable.Load(Path.Combine(folder, "torchsharp")));

        using var other = nn.Linear(2, 2);
        using var small = StableOptimizer.Create(other.parameters(), new TrainingSettings("adam", 0.01, 0, 16, 1));
        small.Save(Path.Combine(folder, "small"));
        Assert.Throws<InvalidDataException>(() => stable.Load(Path.Combine(folder, "small")));
        Assert.Throws<ArgumentException>(() => StableOptimizer.Create(network.parameters(), new TrainingSettings("lion", 0.01, 0, 16, 1)));
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Pretrained_parameters_learn_at_their_share_of_the_rate_and_the_head_at_the_full_rate(string kind, bool nesterov)
    {
        using var fast = Network(3);
        using var slow = Network(3);
        using var head = Network(3);
        var settings = new TrainingSettings(kind, 0.01, 0, 16, 1, Nesterov: nesterov);
        using var single = StableOptimizer.Create(head.parameters(), settings);
        using var grouped = StableOptimizer.Create(fast.parameters(), settings, slow.parameters(), slowScale: 0.1);
        var start = Weights(fast);
        Backward(fast, 0);
        Backward(slow, 0);
        Backward(head, 0);

        grouped.Step();
        single.Step();

        var fastMoves = Weights(fast).Zip(start, (a, b) => a - b).ToArray();
        var slowMoves = Weights(slow).Zip(start, (a, b) => a - b).ToArray();
        Assert.Equal(Weights(head), Weights(fast));
        Assert.Contains(fastMoves, m => Math.Abs(m) > 1e-4);
        for (var i = 0; i < fastMoves.Length; i++) Assert.Equal(fastMoves[i] * 0.1, slowMoves[i], 1e-6);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void A_rate_share_outside_zero_to_one_is_refused(double scale)
    {
        using var network = Network(1);
        Assert.Throws<ArgumentException>(() => StableOptimizer.Create([], new TrainingSettings("adam", 0.01, 0, 16, 1), network.parameters(), scale));
    }
}
