using AutoMLStudio.Core.Data;
using AutoMLStudio.Engine.Training;

namespace AutoMLStudio.Core.Searches.Pipelines;

/// <summary>
/// Everything about a search that depends on its task: preparing the dataset version into training data, proposing
/// trials from the task's space, training one, and evaluating the best on the test split. <see cref="SearchStepJob"/>
/// and <see cref="TrialJob"/> run every task through it; <see cref="TaskPipelines"/> is the one place that picks by task.
/// </summary>
public interface ITaskPipeline
{
    /// <summary>What a trial of this task is without running anything: its point in the space, its memory.</summary>
    ITrialShape Shape { get; }

    /// <summary>
    /// Prepares the search's data once and writes what the trials need to know of it onto <paramref name="search"/>
    /// (saved by the caller); a <see cref="UserInputException"/> says in words why the data cannot be trained on.
    /// </summary>
    Task PrepareAsync(Search search, CancellationToken ct);

    /// <summary>Seconds of the search's time kept free for work after the last trial (a final retrain).</summary>
    Task<double> ReserveSecondsAsync(Search search, IReadOnlyList<Trial> trials, CancellationToken ct);

    /// <summary>A strategy told every finished trial, ready to propose the next ones.</summary>
    Task<ITrialProposer> ProposerAsync(Search search, IReadOnlyList<Trial> trials, CancellationToken ct);

    /// <summary>Trains the trial from its last checkpoint, reporting each epoch; <paramref name="stop"/> stops it between batches.</summary>
    Task<TrainedTrial> TrainAsync(Trial trial, Search search, Func<EpochReport, Task> onEpoch, CancellationToken stop, CancellationToken ct);

    /// <summary>Median milliseconds of one prediction by the trained trial, as its row shows it.</summary>
    double LatencyMs(Trial trial, Search search, TrainedTrial trained);

    /// <summary>
    /// Candidates made from the finished trials once the search proposes no more (an ensemble of the best), stored as trials
    /// and returned with <paramref name="trials"/>, before the best is picked; the trials unchanged where the task makes none.
    /// </summary>
    Task<IReadOnlyList<Trial>> CandidatesAfterSearchAsync(Search search, IReadOnlyList<Trial> trials, CancellationToken ct) => Task.FromResult(trials);

    /// <summary>The best trial on the held-out test split, with each example's prediction where the task has them.</summary>
    Task<(TestEvaluation Evaluation, TestPredictions? Predictions)> EvaluateOnTestAsync(Search search, Trial best, CancellationToken ct);
}

/// <summary>Proposes trial rows, each within the search's cost limits; a <see cref="UserInputException"/> when none fits.</summary>
public interface ITrialProposer
{
    Trial Propose(int number);
}

/// <summary>A trained trial: its parameter count and, where the task keeps them in one file, its best weights.</summary>
public sealed record TrainedTrial(long Parameters, string? BestWeightsPath = null);
