using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using AutoMLStudio.Engine.Ensembles;
using AutoMLStudio.Engine.Search;
using AutoMLStudio.Engine.Spaces;
using AutoMLStudio.Engine.Training;
using static TorchSharp.torch;

namespace AutoMLStudio.Engine.Learners;

/// <summary>One member of an ensemble: the trial it came from, its learner and configuration, and its weight.</summary>
public sealed record EnsembleMember(int Trial, string Learner, double Weight, JsonElement Config);

/// <summary>An ensemble's configuration as its trial stores it: <c>{"learner":"ensemble","members":[…]}</c>.</summary>
public sealed record EnsembleConfig(IReadOnlyList<EnsembleMember> Members)
{
    [JsonPropertyOrder(-1)]
    public string Learner => EnsembleLearner.LearnerName;
}

/// <summary>
/// The weighted average of finished trials' models (greedy ensemble selection, <see cref="GreedyEnsembleSelection"/>). The
/// search never proposes it (<see cref="Serves"/> is false): the search's ending builds it from the trials' validation
/// predictions. Its weights file bundles the members' (<see cref="EnsembleBundle"/>), and it exports as one ONNX graph
/// (<see cref="EnsembleGraph"/>), so the registry, hosting and batches take it like any model.
/// </summary>
public sealed class EnsembleLearner : Learner<EnsembleConfig>
{
    public const string LearnerName = "ensemble";

    public override string Name => LearnerName;

    /// <summary>Never proposed: an ensemble is made of trained trials, not trained itself.</summary>
    public override bool Serves(DataProfile profile) => false;

    /// <summary>
    /// Whether members trained on data of <paramref name="profile"/> can be combined into one graph: a table's learners all read
    /// the same <c>numeric</c> and <c>categorical</c> inputs. Texts' models each encode words their own way (length, bigrams),
    /// so one <c>ids</c> input does not serve them all.
    /// </summary>
    public static bool Combines(DataProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return profile.Plan is not null;
    }

    /// <summary>The stored configuration of an ensemble of <paramref name="members"/>.</summary>
    public static string StoredConfiguration(IReadOnlyList<(int Trial, string Learner, string ConfigJson, double Weight)> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        var config = new EnsembleConfig([.. members.Select(m =>
        {
            using var document = JsonDocument.Parse(m.ConfigJson);
            return new EnsembleMember(m.Trial, m.Learner, m.Weight, document.RootElement.Clone());
        })]);
        return JsonSerializer.Serialize(config, EngineJson.Options);
    }

    public override ParameterSpace Space(DataProfile profile) =>
        throw new NotSupportedException("An ensemble is built from finished trials; the search does not explore it.");

    protected override EnsembleConfig Decode(ParameterSet point, DataProfile profile, out long parameters, out long flops) =>
        throw new NotSupportedException("An ensemble is built from finished trials; the search does not propose it.");

    protected override ParameterSet Encode(EnsembleConfig config) =>
        throw new InvalidDataException("An ensemble is no point of the search space: it is built from finished trials.");

    protected override double LatencyMs(EnsembleConfig config, Device device) =>
        Members(config).Sum(m => m.Learner.LatencyMs(m.ConfigJson, device));

    protected override (string Architecture, string Training) Describe(EnsembleConfig config)
    {
        var parts = Members(config).Select(m =>
            $"{m.Weight.ToString("0.##", CultureInfo.InvariantCulture)} × trial {m.Trial} ({m.Learner.Name}: {m.Learner.Describe(m.ConfigJson).Architecture})");
        return ($"Ensemble of {config.Members.Count}: {string.Join(" + ", parts)}",
            "each member as trained; weights chosen greedily on the validation split (Caruana et al. 2004)");
    }

    public override Task<SupervisedTrainingOutcome> TrainAsync(string configJson, DataProfile profile, LearnerExamples train, LearnerExamples validation,
        TrainingSetup setup, Func<SupervisedEpochReport, Task> onEpoch, CancellationToken cancellationToken) =>
        throw new NotSupportedException("An ensemble is built from trained trials and has nothing to train.");

    /// <summary>The weighted average of the members' evaluations: probabilities (then the argmax) or values.</summary>
    public override SupervisedEvaluation Evaluate(string configJson, string weightsPath, DataProfile profile, LearnerExamples data, Device device)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(data);
        var members = Members(Read(configJson));
        using var weights = EnsembleBundle.Extract(weightsPath, members.Count);
        var evaluations = members.Select((m, i) => m.Learner.Evaluate(m.ConfigJson, weights.Paths[i], profile, data, device)).ToList();
        return Combine(evaluations, [.. members.Select(m => m.Weight)], data.Targets, profile.Plan?.Target);
    }

    /// <summary>The members' graphs merged into one (<see cref="EnsembleGraph"/>), answering their weighted average.</summary>
    public override byte[] ExportOnnx(string configJson, string weightsPath, StandardScaling? target)
    {
        var members = Members(Read(configJson));
        using var weights = EnsembleBundle.Extract(weightsPath, members.Count);
        return EnsembleGraph.Merge([.. members.Select((m, i) => (m.Learner.ExportOnnx(m.ConfigJson, weights.Paths[i], target), m.Weight))]);
    }

    /// <summary>Evaluations of the same examples, averaged with <paramref name="weights"/>; <paramref name="target"/> gives regression's loss its scale.</summary>
    public static SupervisedEvaluation Combine(IReadOnlyList<SupervisedEvaluation> evaluations, IReadOnlyList<double> weights, SupervisedTargets targets,
        StandardScaling? target)
    {
        ArgumentNullException.ThrowIfNull(evaluations);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(targets);
        var count = targets.Count;
        if (targets.Task == PredictionTask.Classification)
        {
            var probabilities = new float[count][];
            var confusion = new int[targets.ClassCount][];
            for (var c = 0; c < confusion.Length; c++) confusion[c] = new int[targets.ClassCount];
            double loss = 0;
            for (var i = 0; i < count; i++)
            {
                var row = new float[targets.ClassCount];
                for (var m = 0; m < evaluations.Count; m++)
                {
                    var member = evaluations[m].Probabilities ?? throw new InvalidDataException("An ensemble member gave no probabilities.");
                    for (var c = 0; c < row.Length; c++) row[c] += (float)(weights[m] * member[i][c]);
                }
                probabilities[i] = row;
                var predicted = 0;
                for (var c = 1; c < row.Length; c++) if (row[c] > row[predicted]) predicted = c;
                confusion[targets.Labels[i]][predicted]++;
                loss -= Math.Log(Math.Max(row[targets.Labels[i]], 1e-12));
            }
            var correct = Enumerable.Range(0, targets.ClassCount).Sum(c => confusion[c][c]);
            return new SupervisedEvaluation(count, count == 0 ? 0 : loss / count, count == 0 ? 0 : (double)correct / count, confusion, probabilities,
                null, null, null);
        }
        var values = new double[count];
        double squared = 0, absolute = 0;
        for (var i = 0; i < count; i++)
        {
            for (var m = 0; m < evaluations.Count; m++)
                values[i] += weights[m] * (evaluations[m].Predictions ?? throw new InvalidDataException("An ensemble member gave no predictions."))[i];
            var error = values[i] - targets.Values[i];
            squared += error * error;
            absolute += Math.Abs(error);
        }
        var n = Math.Max(1, count);
        var scale = target?.Scale ?? 1;
        // The members' loss is the squared error on the standardised target; the ensemble's is too.
        return new SupervisedEvaluation(count, squared / n / (scale * scale), null, null, null, Math.Sqrt(squared / n), absolute / n, values);
    }

    private static List<(int Trial, ILearner Learner, string ConfigJson, double Weight)> Members(EnsembleConfig config)
    {
        if (config.Members is not { Count: > 0 } members) throw new InvalidDataException("An ensemble has no members.");
        return [.. members.Select(m =>
        {
            var learner = LearnerCatalog.Named(m.Learner);
            if (learner is EnsembleLearner) throw new InvalidDataException("An ensemble cannot be a member of another.");
            return (m.Trial, learner, m.Config.GetRawText(), m.Weight);
        })];
    }
}
