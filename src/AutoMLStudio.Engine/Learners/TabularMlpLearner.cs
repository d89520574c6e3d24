using AutoMLStudio.Engine.Onnx;
using AutoMLStudio.Engine.Search;
using AutoMLStudio.Engine.Spaces;
using AutoMLStudio.Engine.Tabular;
using AutoMLStudio.Engine.Training;
using static TorchSharp.torch;

namespace AutoMLStudio.Engine.Learners;

/// <summary>A multilayer perceptron over a table's preprocessed columns (numbers standardised, categories embedded).</summary>
public sealed class TabularMlpLearner : Learner<TabularTrialConfig>
{
    public override string Name => "mlp";

    public override bool Serves(DataProfile profile) => profile.Plan is not null;

    public override ParameterSpace Space(DataProfile profile) => TabularParameterSpace.Create();

    // The middle of the road: two hidden layers of 128 with batch norm and light dropout, a little weight decay. Adam at 3e-3
    // on batches of 32 rather than the textbook 1e-3 on 64: a trial trains a few epochs, and on a small table that is only
    // a handful of steps.
    public override IReadOnlyList<ParameterSet> StartingPoints(DataProfile profile) =>
    [
        new(new Dictionary<string, object>
        {
            ["hiddenLayers"] = 2, ["hiddenWidth"] = "128", ["batchNorm"] = "true", ["dropout"] = 0.1, ["learningRate"] = 3e-3,
            ["useWeightDecay"] = "true", ["weightDecay"] = 1e-5, ["batchSize"] = "32",
        }),
    ];

    protected override TabularTrialConfig Decode(ParameterSet point, DataProfile profile, out long parameters, out long flops)
    {
        var context = TabularSpaceContext.For(Plan(profile), profile.Task, profile.ClassCount, profile.MaxEpochs);
        var config = TabularParameterSpace.Decode(point, context);
        (parameters, flops) = (TabularCost.CountParameters(config.Architecture), TabularCost.CountFlops(config.Architecture));
        return config;
    }

    protected override ParameterSet Encode(TabularTrialConfig config) => TabularParameterSpace.Encode(config);

    protected override double LatencyMs(TabularTrialConfig config, Device device) => LatencyMeter.MedianMillisecondsUntrained(config.Architecture, device);

    protected override (string Architecture, string Training) Describe(TabularTrialConfig config) =>
        (TrialConfigDescription.Architecture(config.Architecture), TrialConfigDescription.Training(config.Training));

    public override Task<SupervisedTrainingOutcome> TrainAsync(string configJson, DataProfile profile, LearnerExamples train, LearnerExamples validation,
        TrainingSetup setup, Func<SupervisedEpochReport, Task> onEpoch, CancellationToken cancellationToken)
    {
        var regression = profile.Task == PredictionTask.Regression;
        return TabularTrainer.TrainAsync(new TabularTrainingRequest(Read(configJson), Plan(profile), Examples(train), Examples(validation),
            setup.CheckpointFolder, setup.Seed, setup.Device, regression ? setup.RegressionMetric : null, setup.Threads,
            regression ? null : setup.Objective), onEpoch, cancellationToken);
    }

    public override SupervisedEvaluation Evaluate(string configJson, string weightsPath, DataProfile profile, LearnerExamples data, Device device) =>
        TabularTrainer.Evaluate(Read(configJson).Architecture, weightsPath, Plan(profile), Examples(data), device);

    public override byte[] ExportOnnx(string configJson, string weightsPath, StandardScaling? target) =>
        ExportTrained(() => new TabularMlp(Read(configJson).Architecture), weightsPath, model => OnnxExport.TabularModel(model, target));

    private TabularExamples Examples(LearnerExamples examples)
    {
        var rows = Take<RowExamples>(examples);
        return new(rows.Values, rows.Targets);
    }

    private static TabularPreprocessingPlan Plan(DataProfile profile) =>
        profile.Plan ?? throw new ArgumentException("A tabular learner needs the table's preprocessing plan.", nameof(profile));
}
