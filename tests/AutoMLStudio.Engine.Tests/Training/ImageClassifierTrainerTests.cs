using AutoMLStudio.Engine.Data;
using AutoMLStudio.Engine.Spaces;
using AutoMLStudio.Engine.Training;
using TorchSharp;

namespace AutoMLStudio.Engine.Tests.Training;

[Collection(TorchCollection.Name)]
public sealed class ImageClassifierTrainerTests : IDisposable
{
    private readonly List<string> _folders = [];

    public void Dispose()
    {
        foreach (var folder in _folders.Where(Directory.Exists)) Directory.Delete(folder, recursive: true);
    }

    private string NewFolder()
    {
        var folder = TestData.TempFolder();
        _folders.Add(folder);
        return folder;
    }

    private static readonly ImageTensorData Train = TestData.Stripes(300, 16, seed: 1);
    private static readonly ImageTensorData Validation = TestData.Stripes(90, 16, seed: 2);

    private static TrainingRequest Request(TrialConfig config, string folder, int seed = 5) =>
        new(config, Train, Validation, folder, seed, TestData.Cpu, Threads: 2);

    private static async Task<(TrainingOutcome Outcome, List<EpochReport> Seen)> TrainAsync(TrainingRequest request)
    {
        var seen = new List<EpochReport>();
        var outcome = await ImageClassifierTrainer.TrainAsync(request, r => { seen.Add(r); return Task.CompletedTask; }, CancellationToken.None);
        return (outcome, seen);
    }

    // Seconds differ run to run; everything else must match exactly.
    private static object Metrics(IEnumerable<EpochReport> reports) =>
        reports.Select(r => (r.Epoch, r.TrainLoss, r.ValLoss, r.ValAccuracy)).ToList();

    [Fact]
    public async Task Small_cnn_learns_generated_stripes_to_over_90_percent_validation_accuracy()
    {
        var (outcome, seen) = await TrainAsync(Request(TestData.SmallTrial(epochs: 6), NewFolder()));

        Assert.True(outcome.BestValAccuracy > 0.9, $"best validation accuracy {outcome.BestValAccuracy:P1}");
        Assert.Equal(6, seen.Count);
        Assert.True(seen[^1].TrainLoss < seen[0].TrainLoss);
        Assert.Equal(CnnSearchSpace.CountParameters(TestData.SmallCnn()), outcome.Parameters);
        Assert.True(File.Exists(outcome.BestWeightsPath));
    }

    [Fact]
    public async Task Evaluate_with_best_weights_reproduces_the_best_validation_accuracy()
    {
        var (outcome, _) = await TrainAsync(Request(TestData.SmallTrial(epochs: 3), NewFolder()));

        var result = ImageClassifierTrainer.Evaluate(TestData.SmallCnn(), outcome.BestWeightsPath, Validation, TestData.Cpu);

        Assert.Equal(outcome.BestValAccuracy, result.Accuracy, 9);
        Assert.Equal(outcome.Epochs[outcome.BestEpoch - 1].ValLoss, result.Loss, 5);
        Assert.Equal(Validation.Count, result.Count);
        Assert.Equal(Validation.Count, result.ConfusionMatrix.Sum(row => row.Sum()));
        Assert.Equal(result.Accuracy * Validation.Count, Enumerable.Range(0, 3).Sum(i => result.ConfusionMatrix[i][i]), 6);
        Assert.All(result.Probabilities, p => Assert.Equal(1f, p.Sum(), 3));
    }

    [Fact]
    public async Task Same_seed_gives_identical_metrics()
    {
        var (first, _) = await TrainAsync(Request(TestData.SmallTrial(epochs: 2, optimizer: "sgd", learningRate: 0.05), NewFolder()));
        var (second, _) = await TrainAsync(Request(TestData.SmallTrial(epochs: 2, optimizer: "sgd", learningRate: 0.05), NewFolder()));
        var (other, _) = await TrainAsync(Request(TestData.SmallTrial(epochs: 2, optimizer: "sgd", learningRate: 0.05), NewFolder(), seed: 6));

        Assert.Equal(Metrics(first.Epochs), Metrics(second.Epochs));
        Assert.NotEqual(Metrics(first.Epochs), Metrics(other.Epochs));
    }

    [Fact]
    public async Task Resume_replays_finished_epochs_then_continues_and_matches_an_uninterrupted_run_because_optimizer_state_is_saved()
    {
        var folder = NewFolder();
        var augmented = TestData.AllAugmentations;
        var (partial, _) = await TrainAsync(Request(TestData.SmallTrial(epochs: 2, augmentation: augmented), folder));

        var (resumed, seen) = await TrainAsync(Request(TestData.SmallTrial(epochs: 4, augmentation: augmented), folder));
        var (uninterrupted, _) = await TrainAsync(Request(TestData.SmallTrial(epochs: 4, augmentation: augmented), NewFolder()));

        Assert.Equal([1, 2, 3, 4], seen.Select(r => r.Epoch));
        Assert.Equal(partial.Epochs, seen.Take(2));
        Assert.Equal(Metrics(uninterrupted.Epochs), Metrics(resumed.Epochs));
        Assert.Equal(uninterrupted.BestEpoch, resumed.BestEpoch);
        Assert.Equal(uninterrupted.BestValAccuracy, resumed.BestValAccuracy);
        Assert.Equal(["best.weights", "epoch-4.optimizer", "epoch-4.weights", "state.json"],
            Directory.GetFiles(folder).Select(Path.GetFileName).Order());
    }

    [Theory]
    [InlineData("cosine", "adamw")]
    [InlineData("onecycle", "sgd")]
    public async Task A_run_interrupted_mid_schedule_resumes_at_the_saved_step_and_matches_an_uninterrupted_run(string schedule, string optimizer)
    {
        var config = TestData.SmallTrial(epochs: 3, optimizer, optimizer == "sgd" ? 0.05 : 3e-3, TestData.AllAugmentations, schedule, labelSmoothing: 0.1);
        var folder = NewFolder();
        using var cancellation = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ImageClassifierTrainer.TrainAsync(Request(config, folder),
            r => { if (r.Epoch == 2) cancellation.Cancel(); return Task.CompletedTask; }, cancellation.Token));
        var (resumed, _) = await TrainAsync(Request(config, folder));
        var (uninterrupted, _) = await TrainAsync(Request(config, NewFolder()));

        Assert.Equal(Metrics(uninterrupted.Epochs), Metrics(resumed.Epochs));
        Assert.True(uninterrupted.Epochs[^1].TrainLoss < uninterrupted.Epochs[0].TrainLoss);
    }

    [Fact]
    public async Task Augmentation_changes_training_and_the_same_seed_repeats_it_exactly()
    {
        var plain = TestData.SmallTrial(epochs: 1);
        var augmented = TestData.SmallTrial(epochs: 1, augmentation: TestData.AllAugmentations);

        var (withoutAugmentation, _) = await TrainAsync(Request(plain, NewFolder()));
        var (first, _) = await TrainAsync(Request(augmented, NewFolder()));
        var (second, _) = await TrainAsync(Request(augmented, NewFolder()));

        Assert.Equal(Metrics(first.Epochs), Metrics(second.Epochs));
        Assert.NotEqual(withoutAugmentation.Epochs[0].TrainLoss, first.Epochs[0].TrainLoss);
    }

    [Fact]
    public async Task Finished_run_called_again_only_replays_its_reports()
    {
        var folder = NewFolder();
        var (first, _) = await TrainAsync(Request(TestData.SmallTrial(epochs: 2), folder));

        var (again, seen) = await TrainAsync(Request(TestData.SmallTrial(epochs: 2), folder));

        Assert.Equal(first.Epochs, seen);
        Assert.Equal(first.Epochs, again.Epochs);
        Assert.Equal(first.BestEpoch, again.BestEpoch);
    }

    [Fact]
    public async Task Cancellation_stops_between_batches_and_leaves_the_last_checkpoint_resumable()
    {
        var folder = NewFolder();
        using var cancellation = new CancellationTokenSource();
        var request = Request(TestData.SmallTrial(epochs: 4), folder);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ImageClassifierTrainer.TrainAsync(request,
            r => { if (r.Epoch == 1) cancellation.Cancel(); return Task.CompletedTask; }, cancellation.Token));
        var (resumed, seen) = await TrainAsync(request);

        Assert.Equal([1, 2, 3, 4], seen.Select(r => r.Epoch));
        Assert.Equal(4, resumed.Epochs.Count);
    }

    [Fact]
    public async Task Live_tensor_count_does_not_grow_across_epochs_or_repeated_trainings()
    {
        // In TorchSharp 0.107 this count is exact: every tensor created on this thread minus every one disposed,
        // inside scopes or not. Statistics are per thread; the awaits below complete synchronously, so we stay on it.
        long Live() => DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        var perEpoch = new List<long>();
        var afterRun = new List<long>();
        for (var run = 0; run < 3; run++)
        {
            await ImageClassifierTrainer.TrainAsync(Request(TestData.SmallTrial(epochs: 3), NewFolder()),
                _ => { perEpoch.Add(Live()); return Task.CompletedTask; }, CancellationToken.None);
            afterRun.Add(Live());
        }

        Assert.All(perEpoch, live => Assert.Equal(perEpoch[0], live));
        Assert.All(afterRun, live => Assert.Equal(afterRun[0], live));
        Assert.True(perEpoch[0] > afterRun[0], "the model's parameters are live during training and freed after it");
    }
}

