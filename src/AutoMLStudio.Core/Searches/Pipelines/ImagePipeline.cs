using System.Text.Json;
using AutoMLStudio.Core.Backbones;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Devices;
using AutoMLStudio.Core.Storage;
using AutoMLStudio.Engine.Learners;
using AutoMLStudio.Engine.Models;
using AutoMLStudio.Engine.Search;
using AutoMLStudio.Engine.Spaces;
using AutoMLStudio.Engine.Training;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AutoMLStudio.Core.Searches.Pipelines;

/// <summary>
/// Image classification: images decoded once at the search's input size (<see cref="SearchDataStore"/>), the CNN cell
/// space with pretrained backbones and a starting model as candidates, and a final retrain of the best trial on
/// train+validation (<see cref="FinalRetrain"/>) before the test.
/// </summary>
public sealed class ImagePipeline(
    StudioDbContext db,
    IArtifactStore store,
    SearchDataStore data,
    StudioDevices devices,
    CandidateProposals proposals,
    FinalRetrain finalRetrain,
    IOptions<StudioOptions> options,
    ILogger<ImagePipeline> logger) : ITaskPipeline
{
    public static ITrialShape TrialShape { get; } = new ImageTrialShape();

    public ITrialShape Shape => TrialShape;

    public async Task PrepareAsync(Search search, CancellationToken ct)
    {
        try
        {
            // The starting model was deleted or its files changed after the search was queued: its UserInputException says so.
            var starting = await StartingModelOfAsync(search, ct);
            var prepared = await data.PrepareAsync(db, search, ct,
                starting is null ? null : (starting.Architecture.InputSize, starting.Architecture.InputChannels));
            search.Classes = [.. prepared.Classes];
            search.InputSize = prepared.InputSize;
            search.InputChannels = prepared.Channels;
            search.InputStats = prepared.Stats;
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException)
        {
            logger.LogError(ex, "Search {SearchId} could not read its dataset", search.Id);
            throw new UserInputException("Dataset unreadable", $"The dataset's images could not be read ({ex.Message}). Import the dataset again.");
        }
    }

    public Task<double> ReserveSecondsAsync(Search search, IReadOnlyList<Trial> trials, CancellationToken ct) =>
        finalRetrain.ReserveSecondsAsync(search, trials, ct);

    public async Task<ITrialProposer> ProposerAsync(Search search, IReadOnlyList<Trial> trials, CancellationToken ct)
    {
        var context = search.SpaceContext();
        // The factory keeps random search on its own sampler, so searches stored before the parameter-space strategies replay the same.
        var strategy = SearchStrategies.Create(search.Algorithm.Name(), context, search.Seed, search.ExpectedTrials(trials));
        if (await StartingModelOfAsync(search, ct) is { } starting)
            strategy = new FineTuneStrategy(strategy, starting.ArchitectureFor(search.Classes.Count), search.Seed);
        // NAC grows its own networks from an envelope within a planned number of trials; backbones would take its slots.
        else if (search.UsePretrained && search.Algorithm != SearchAlgorithm.Nac
                 && await BackboneWeightsFile.AvailableAsync(db, context.InputChannels, context.InputSize, ct) is { Count: > 0 } backbones)
            strategy = new BackboneCandidates(strategy, backbones, search.Seed);
        var finished = trials.Where(t => t.Status is TrialStatus.Completed or TrialStatus.Failed or TrialStatus.Pruned).ToList();
        var objectives = TradeOffs.Objectives(search, finished, trials.Count + 1);
        foreach (var done in finished)
            strategy.Tell(new Observation<TrialConfig>(done.Number, done.Config(), objectives[done.Id],
                Path.Combine(store.FullPath(done.Checkpoints()), ImageClassifierTrainer.BestWeightsFile)));
        return new Proposer(proposals, strategy, search);
    }

    private sealed class Proposer(CandidateProposals proposals, ISearchStrategy<TrialConfig> strategy, Search search) : ITrialProposer
    {
        private readonly ObjectiveRequest _objective = search.Objective;

        public Trial Propose(int number)
        {
            var candidate = proposals.Ask(strategy, number, _objective.Constraints, search.Queue, _objective.TradeOff == TradeOffs.Latency);
            var config = candidate.Config;
            return new Trial
            {
                SearchId = search.Id,
                Number = number,
                ConfigJson = JsonSerializer.Serialize(config, EngineJson.Options),
                Params = CnnSearchSpace.CountParameters(config.Architecture),
                Flops = CnnSearchSpace.CountFlops(config.Architecture),
                LatencyMs = candidate.LatencyMs,
            };
        }
    }

    /// <summary>The image learner of a trial: the studio's own CNN cells, or a pretrained backbone.</summary>
    /// <exception cref="InvalidDataException">The configuration has no network.</exception>
    public static ILearner LearnerOf(TrialConfig config) =>
        LearnerCatalog.Named((config.Architecture ?? throw new InvalidDataException("The trial's configuration has no network.")).Backbone is null
            ? CnnLearner.LearnerName
            : BackboneLearner.LearnerName);

    public async Task<TrainedTrial> TrainAsync(Trial trial, Search search, Func<EpochReport, Task> onEpoch, CancellationToken stop, CancellationToken ct)
    {
        var searchData = data.Load(search.Id, search.Classes);
        var config = trial.Config();
        var setup = new TrainingSetup(store.FullPath(ArtifactPaths.TrialCheckpoints(search.Id, trial.Id)), search.Seed + trial.Number,
            devices.TorchDeviceFor(trial.QueueOr(search)), options.Value.Training.ThreadsFor(search.Reproducible), search.EngineObjective(),
            RegressionMetric: null, await StartingModel.InitialWeightsAsync(db, store, search, config, ct));
        var classes = searchData.Classes.Count;
        var outcome = await LearnerOf(config).TrainAsync(trial.ConfigJson, Profile(search), new ImageExamples(searchData.Train, classes),
            new ImageExamples(searchData.Validation, classes), setup, report => onEpoch(LearnerReports.ToEpochReport(report)), stop);
        return new TrainedTrial(outcome.Parameters, outcome.BestWeightsPath);
    }

    // The time depends on the architecture, not on the weights' values.
    public double LatencyMs(Trial trial, Search search, TrainedTrial trained) =>
        LearnerOf(trial.Config()).LatencyMs(trial.ConfigJson, devices.TorchDeviceFor(trial.QueueOr(search)));

    public async Task<(TestEvaluation Evaluation, TestPredictions? Predictions)> EvaluateOnTestAsync(Search search, Trial best, CancellationToken ct)
    {
        var searchData = data.Load(search.Id, search.Classes);
        var weights = await finalRetrain.RunAsync(search, best, searchData, ct);
        var result = LearnerOf(best.Config()).Evaluate(best.ConfigJson, weights, Profile(search),
            new ImageExamples(searchData.Test, searchData.Classes.Count), devices.TorchDeviceFor(search.Queue));
        var evaluation = TestEvaluation.ForClassifier(search.EngineObjective(), result.Loss, searchData.Classes, result.ConfusionMatrix!);
        return (evaluation, TestPredictions.From(searchData.Classes, searchData.TestItemIds, searchData.Test.Labels, result.Probabilities!));
    }

    private static DataProfile Profile(Search search) =>
        new(PredictionTask.Classification, search.Classes.Count, search.EpochsPerTrial(), Images: search.SpaceContext());

    private async Task<StartingModel?> StartingModelOfAsync(Search search, CancellationToken ct) =>
        search.StartFromModelVersionId is { } versionId ? await StartingModel.LoadAsync(db, store, versionId, ct) : null;

    private sealed class ImageTrialShape : ITrialShape
    {
        // The CNN space depends on the image size, known once the data is prepared.
        public ParameterSpace? Space(Search search) => search.InputStats is null ? null : CnnParameterSpace.Create(search.SpaceContext());

        public ParameterSet Encode(Trial trial, Search search) => CnnParameterSpace.Encode(trial.Config());

        public (string Architecture, string Training) Describe(Trial trial, Search search) => LearnerOf(trial.Config()).Describe(trial.ConfigJson);

        // With "learner" first, as every trial's configuration in the API (cnn or backbone).
        public JsonElement Configuration(Trial trial, Search search)
        {
            var learner = LearnerOf(trial.Config());
            using var named = JsonDocument.Parse(LearnerChoice.Named(learner.Configuration(trial.ConfigJson).GetRawText(), learner.Name));
            return named.RootElement.Clone();
        }

        public long? MemoryBytes(Trial trial) =>
            trial.Config() is { } config ? TrainingMemory.EstimateBytes(config.Architecture, config.Training.BatchSize) : null;

        public byte[] ExportOnnx(SearchTask task, string configJson, string weightsPath, StandardScaling? target) =>
            LearnerOf(JsonSerializer.Deserialize<TrialConfig>(configJson, EngineJson.Options) ?? throw new InvalidDataException("The model has no configuration."))
                .ExportOnnx(configJson, weightsPath, target);
    }
}
