using AutoMLStudio.Engine.Tabular;
using AutoMLStudio.Engine.Training;
using AutoMLStudio.Engine.Trees;
using static TorchSharp.torch;

namespace AutoMLStudio.Engine.Learners;

/// <summary>
/// A learner for tables whose models ML.NET trains (trees, linear models): it trains on exactly what the preprocessing
/// plan gives the MLP, in stages with checkpoints (<see cref="MlNetTraining"/>), and exports a graph with the MLP's
/// inputs and outputs, so hosting, batch prediction and the registry serve it unchanged. A learner says only what it
/// searches and what it trains (<see cref="Recipe"/>).
/// </summary>
public abstract class MlNetTableLearner<TConfig> : Learner<TConfig> where TConfig : class
{
    public override bool Serves(DataProfile profile) => profile.Plan is not null;

    /// <summary>What <paramref name="config"/> trains, stage by stage.</summary>
    internal abstract MlNetRecipe Recipe(TConfig config);

    public override Task<SupervisedTrainingOutcome> TrainAsync(string configJson, DataProfile profile, LearnerExamples train, LearnerExamples validation,
        TrainingSetup setup, Func<SupervisedEpochReport, Task> onEpoch, CancellationToken cancellationToken) =>
        MlNetTraining.TrainAsync(Recipe(Read(configJson)), Plan(profile), Take<RowExamples>(train), Take<RowExamples>(validation), setup, onEpoch, cancellationToken);

    public override SupervisedEvaluation Evaluate(string configJson, string weightsPath, DataProfile profile, LearnerExamples data, Device device) =>
        MlNetTraining.Evaluate(Recipe(Read(configJson)), weightsPath, Plan(profile), Take<RowExamples>(data));

    public override byte[] ExportOnnx(string configJson, string weightsPath, StandardScaling? target) =>
        MlNetTraining.ExportOnnx(Recipe(Read(configJson)), weightsPath, target);

    /// <summary>The stages a candidate trains in: the profile's epochs, at most four (each retrains from scratch).</summary>
    protected static int Stages(DataProfile profile) => Math.Clamp(profile.MaxEpochs, 1, 4);

    /// <summary>What stage <paramref name="stage"/> of <paramref name="stages"/> trains of <paramref name="size"/> rounds or trees (at least one).</summary>
    internal static int SizeAt(int size, int stage, int stages) => Math.Max(1, (int)Math.Round((double)size * stage / stages));

    /// <summary>
    /// Milliseconds of one prediction, estimated rather than measured (an untrained tree ensemble has no trees to time):
    /// ONNX Runtime's fixed cost of a call, about 0.05 ms on these CPUs, plus about 5 ns per comparison or multiply-add.
    /// </summary>
    protected static double EstimatedLatencyMs(long operations) => 0.05 + operations * 5e-6;

    protected static TabularPreprocessingPlan Plan(DataProfile profile) =>
        profile.Plan ?? throw new ArgumentException("A tabular learner needs the table's preprocessing plan.", nameof(profile));

    protected static long TreeDepth(int leaves) => Math.Max(1, (long)Math.Ceiling(Math.Log2(leaves)));
}
