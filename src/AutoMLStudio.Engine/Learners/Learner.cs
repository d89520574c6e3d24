using System.Text.Json;
using AutoMLStudio.Engine.Search;
using AutoMLStudio.Engine.Spaces;
using AutoMLStudio.Engine.Training;
using static TorchSharp.torch;

namespace AutoMLStudio.Engine.Learners;

/// <summary>
/// A learner whose candidates are configurations of type <typeparamref name="TConfig"/>: it reads and writes the
/// stored JSON once, so a learner only says how its configuration is decoded, encoded, costed, timed and described.
/// </summary>
public abstract class Learner<TConfig> : ILearner where TConfig : class
{
    public abstract string Name { get; }

    public abstract bool Serves(DataProfile profile);

    public abstract ParameterSpace Space(DataProfile profile);

    public virtual IReadOnlyList<ParameterSet> StartingPoints(DataProfile profile) => [];

    public LearnerCandidate Decode(ParameterSet point, DataProfile profile)
    {
        var config = Decode(point, profile, out var parameters, out var flops);
        return new LearnerCandidate(JsonSerializer.Serialize(config, EngineJson.Options), parameters, flops);
    }

    public ParameterSet Encode(string configJson) => Encode(Read(configJson));

    public double LatencyMs(string configJson, Device device) => LatencyMs(Read(configJson), device);

    public (string Architecture, string Training) Describe(string configJson) => Describe(Read(configJson));

    public JsonElement Configuration(string configJson) => JsonSerializer.SerializeToElement(Read(configJson), EngineJson.Options);

    /// <summary>The candidate's settings in words; by default every value of <see cref="Configuration"/>. Override for better words.</summary>
    public virtual IReadOnlyList<LearnerSetting> Settings(string configJson) => LearnerSettings.Flatten(Configuration(configJson));

    public abstract Task<SupervisedTrainingOutcome> TrainAsync(string configJson, DataProfile profile, LearnerExamples train, LearnerExamples validation,
        TrainingSetup setup, Func<SupervisedEpochReport, Task> onEpoch, CancellationToken cancellationToken);

    public abstract SupervisedEvaluation Evaluate(string configJson, string weightsPath, DataProfile profile, LearnerExamples data, Device device);

    public abstract byte[] ExportOnnx(string configJson, string weightsPath, StandardScaling? target);

    /// <summary>The configuration at <paramref name="point"/>, with its parameters and FLOPs counted from the architecture.</summary>
    protected abstract TConfig Decode(ParameterSet point, DataProfile profile, out long parameters, out long flops);

    /// <summary>The point of <see cref="Space"/> a configuration came from.</summary>
    protected abstract ParameterSet Encode(TConfig config);

    /// <summary>Median milliseconds of one prediction by the untrained network of <paramref name="config"/>.</summary>
    protected abstract double LatencyMs(TConfig config, Device device);

    /// <summary>The network and the training settings in words.</summary>
    protected abstract (string Architecture, string Training) Describe(TConfig config);

    /// <summary>The stored configuration.</summary>
    protected static TConfig Read(string configJson) =>
        JsonSerializer.Deserialize<TConfig>(configJson, EngineJson.Options) ?? throw new InvalidDataException("A trial has no configuration.");

    /// <summary>The network <paramref name="build"/> makes, with the weights at <paramref name="weightsPath"/>, exported for inference by <paramref name="export"/>.</summary>
    protected static byte[] ExportTrained<TModel>(Func<TModel> build, string weightsPath, Func<TModel, byte[]> export) where TModel : TorchSharp.torch.nn.Module
    {
        using var scope = NewDisposeScope();
        using var model = build();
        model.load(weightsPath);
        model.eval();
        return export(model);
    }

    /// <summary>The examples as this learner takes them.</summary>
    /// <exception cref="ArgumentException">The task's data provides another kind.</exception>
    protected T Take<T>(LearnerExamples examples) where T : LearnerExamples =>
        examples as T ?? throw new ArgumentException($"The {Name} learner trains on {typeof(T).Name}, not {examples.GetType().Name}.", nameof(examples));
}
