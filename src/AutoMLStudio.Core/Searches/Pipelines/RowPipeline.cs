using System.Text.Json;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Engine.Learners;
using AutoMLStudio.Engine.Models;
using AutoMLStudio.Engine.Search;
using AutoMLStudio.Engine.Training;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AutoMLStudio.Core.Searches.Pipelines;

/// <summary>
/// Tabular and text searches: rows prepared once with the preprocessing fitted on the training split
/// (<see cref="RowSearchDataStore"/>), the tabular or text space with the ask/tell strategies (<see cref="RowTrials"/>),
/// and an ending that tests the best trial as it was trained (no final retrain).
/// </summary>
public sealed class RowPipeline(StudioDbContext db, RowSearchDataStore rows, RowTrials rowTrials, IOptions<StudioOptions> options, ILogger<RowPipeline> logger,
    EnsembleTrials ensembles)
    : ITaskPipeline
{
    public async Task PrepareAsync(Search search, CancellationToken ct)
    {
        try
        {
            var data = await rows.PrepareAsync(db, search, ct);
            search.Classes = [.. data.Classes];
        }
        catch (ArgumentException ex)
        {
            // The preprocessing found nothing to learn from (every column an identifier, say): a state, told in words.
            logger.LogWarning(ex, "Search {SearchId} has no usable input", search.Id);
            throw new UserInputException("No usable input",
                $"The data cannot be trained on: {ex.Message} Change the column types on the dataset page and start again.");
        }
    }

    // Tables and texts have no final retrain, so nothing is reserved for one.
    public Task<double> ReserveSecondsAsync(Search search, IReadOnlyList<Trial> trials, CancellationToken ct) => Task.FromResult(0d);

    // The learners' starting points come first, cheapest learner first (FLAML's cost-frugal order); the strategy is told
    // them like any other trial.
    public Task<ITrialProposer> ProposerAsync(Search search, IReadOnlyList<Trial> trials, CancellationToken ct)
    {
        var choice = RowTrials.Choice(search, rows.Load(search.Id));
        var strategy = new StartingPointsFirst(
            SearchStrategies.Create(search.Algorithm.Name(), choice.Space, search.Seed, search.ExpectedTrials(trials)), choice.StartingPoints);
        // An ensemble (of a search this one refines) is no point the strategy could propose.
        var finished = trials.Where(t => t.Status is TrialStatus.Completed or TrialStatus.Failed or TrialStatus.Pruned && !RowTrials.IsEnsemble(t)).ToList();
        var objectives = TradeOffs.Objectives(search, finished, trials.Count + 1);
        foreach (var done in finished)
        {
            if (Point(choice, done, search) is { } point) strategy.Tell(done.Number, point, objectives[done.Id]);
        }
        return Task.FromResult<ITrialProposer>(new Proposer(rowTrials, strategy, search, choice));
    }

    // A trial of a learner that no longer serves this data (or whose configuration cannot be read) teaches the strategy
    // nothing about this space; the search goes on without it.
    private ParameterSet? Point(LearnerChoice choice, Trial trial, Search search)
    {
        try
        {
            return choice.Encode(trial.ConfigJson, RowTrials.OldLearner(search.Task));
        }
        catch (Exception ex) when (ex is ArgumentException or JsonException or InvalidDataException)
        {
            logger.LogWarning(ex, "Trial {TrialId} of search {SearchId} is left out of the strategy's history", trial.Id, search.Id);
            return null;
        }
    }

    private sealed class Proposer(RowTrials rowTrials, ISearchStrategy<ParameterSet> strategy, Search search, LearnerChoice choice) : ITrialProposer
    {
        private readonly ObjectiveRequest _objective = search.Objective;

        // Parameters and FLOPs are counted and latency measured (untrained) before training, so a candidate that breaks a
        // limit is never trained.
        public Trial Propose(int number)
        {
            var constraints = _objective.Constraints;
            var measureLatency = constraints?.MaxLatencyMs is not null || _objective.TradeOff == TradeOffs.Latency;
            for (var attempt = 0; attempt < 500; attempt++)
            {
                var proposal = RowTrials.Decode(strategy.Ask(number + attempt * SearchStrategies.RetryStride), choice);
                if (proposal.Params > (constraints?.MaxParams ?? long.MaxValue) || proposal.Flops > (constraints?.MaxFlops ?? long.MaxValue)) continue;
                double? latency = measureLatency ? rowTrials.LatencyMs(proposal.ConfigJson, search) : null;
                if (latency > (constraints?.MaxLatencyMs ?? double.MaxValue)) continue;
                return new Trial
                {
                    SearchId = search.Id, Number = number, ConfigJson = proposal.ConfigJson, Params = proposal.Params, Flops = proposal.Flops,
                    LatencyMs = latency,
                };
            }
            throw new UserInputException("Constraints too tight",
                "No model in the search space fits the parameter, FLOP or latency limit. Raise 'maxParams', 'maxFlops' or 'maxLatencyMs'.");
        }
    }

    public async Task<TrainedTrial> TrainAsync(Trial trial, Search search, Func<EpochReport, Task> onEpoch, CancellationToken stop, CancellationToken ct)
    {
        var outcome = await rowTrials.TrainAsync(trial, search, trial.QueueOr(search), options.Value.Training.ThreadsFor(search.Reproducible),
            report => onEpoch(LearnerReports.ToEpochReport(report)), stop);
        return new TrainedTrial(outcome.Parameters);
    }

    // Measured untrained when the trial was proposed under a latency limit or trade-off; the time does not depend on the weights.
    public double LatencyMs(Trial trial, Search search, TrainedTrial trained) => trial.LatencyMs ?? rowTrials.LatencyMs(trial.ConfigJson, search);

    public Task<(TestEvaluation Evaluation, TestPredictions? Predictions)> EvaluateOnTestAsync(Search search, Trial best, CancellationToken ct) =>
        Task.FromResult(rowTrials.EvaluateOnTest(best, search));

    public Task<IReadOnlyList<Trial>> CandidatesAfterSearchAsync(Search search, IReadOnlyList<Trial> trials, CancellationToken ct) =>
        ensembles.AddAsync(search, trials, ct);

    public static ITrialShape TrialShape { get; } = new RowTrialShape();

    public ITrialShape Shape => TrialShape;

    private sealed class RowTrialShape : ITrialShape
    {
        public ParameterSpace? Space(Search search) => RowTrials.Space(search.Task);

        public ParameterSet Encode(Trial trial, Search search) => RowTrials.Encode(trial, search);

        public (string Architecture, string Training) Describe(Trial trial, Search search) => RowTrials.Describe(trial, search.Task);

        public JsonElement Configuration(Trial trial, Search search) => RowTrials.Configuration(trial, search.Task);

        public long? MemoryBytes(Trial trial) => TrainingMemory.EstimateBytes(trial.Params);

        public byte[] ExportOnnx(SearchTask task, string configJson, string weightsPath, StandardScaling? target) =>
            RowTrials.ExportOnnx(task, configJson, weightsPath, target);
    }
}
