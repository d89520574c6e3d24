using System.Text.Json;
using AutoMLStudio.Engine.Onnx;
using AutoMLStudio.Engine.Search;
using AutoMLStudio.Engine.Spaces;
using AutoMLStudio.Engine.Tabular;
using AutoMLStudio.Engine.Training;
using static TorchSharp.torch;

namespace AutoMLStudio.Engine.Learners;

/// <summary>A multilayer perceptron over a table's preprocessed columns (numbers standardised, categories embedded).</summary>
public sealed class TabularMlpLearner : ILearner
{
    public string Name => "mlp";

    public bool Serves(DataProfile profile) => profile.Plan is not null;

    public ParameterSpace Space(DataProfile profile) => TabularParameterSpace.Create();

    public LearnerCandidate Decode(ParameterSet point, DataProfile profile)
    {
        var config = TabularParameterSpace.Decode(point, TabularSpaceContext.For(Plan(profile), profile.Task, profile.ClassCount, profile.MaxEpochs));
        return new LearnerCandidate(JsonSerializer.Serialize(config, EngineJson.Options),
            TabularCost.CountParameters(config.Architecture), TabularCost.CountFlops(config.Architecture));
    }

    public ParameterSet Encode(string configJson) => TabularParameterSpace.Encode(Read(configJson));

    public double LatencyMs(string configJson, Device device) => LatencyMeter.MedianMillisecondsUntrained(Read(configJson).Architecture, device);

    public (string Architecture, string Training) Describe(string configJson)
    {
        var config = Read(configJson);
        return (TrialConfigDescription.Architecture(config.Architecture), TrialConfigDescription.Training(config.Training));
    }

    public Task<SupervisedTrainingOutcome> TrainAsync(string configJson, DataProfile profile, RowExamples train, RowExamples validation,
        TrainingSetup setup, Func<SupervisedEpochReport, Task> onEpoch, CancellationToken cancellationToken)
    {
        var regression = profile.Task == PredictionTask.Regression;
        return TabularTrainer.TrainAsync(new TabularTrainingRequest(Read(configJson), Plan(profile), Examples(train), Examples(validation),
            setup.CheckpointFolder, setup.Seed, setup.Device, regression ? setup.RegressionMetric : null, setup.Threads,
            regression ? null : setup.Objective), onEpoch, cancellationToken);
    }

    public SupervisedEvaluation Evaluate(string configJson, string weightsPath, DataProfile profile, RowExamples data, Device device) =>
        TabularTrainer.Evaluate(Read(configJson).Architecture, weightsPath, Plan(profile), Examples(data), device);

    public byte[] ExportOnnx(string configJson, string weightsPath, StandardScaling? target)
    {
        using var scope = NewDisposeScope();
        using var model = new TabularMlp(Read(configJson).Architecture);
        model.load(weightsPath);
        model.eval();
        return OnnxExport.TabularModel(model, target);
    }

    private static TabularExamples Examples(RowExamples rows) => new(rows.Values, rows.Targets);

    private static TabularPreprocessingPlan Plan(DataProfile profile) =>
        profile.Plan ?? throw new ArgumentException("A tabular learner needs the table's preprocessing plan.", nameof(profile));

    private static TabularTrialConfig Read(string configJson) =>
        JsonSerializer.Deserialize<TabularTrialConfig>(configJson, EngineJson.Options) ?? throw new InvalidDataException("A trial has no configuration.");
}
