using AutoMLStudio.Engine.Metrics;
using AutoMLStudio.Engine.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoMLStudio.Engine.Tabular;

/// <summary>What to train, on what, and where to keep checkpoints.</summary>
/// <param name="Config">Network and training settings; its input shape must be the plan's.</param>
/// <param name="Plan">Preprocessing fitted on <paramref name="Train"/> (see <see cref="TabularPreprocessingPlan.Fit"/>).</param>
/// <param name="Train">Training rows and targets.</param>
/// <param name="Validation">Validation rows and targets (at least one).</param>
/// <param name="CheckpointFolder">Folder owned by this trial; an existing checkpoint there is resumed.</param>
/// <param name="Seed">Seeds weights, shuffling and dropout.</param>
/// <param name="Device">Device to train on.</param>
/// <param name="Metric">Regression: the validation metric that picks the best epoch (rmse or mae); null: RMSE.</param>
/// <param name="Threads">Torch intra-op threads; 0 leaves torch's default. Process-wide in libtorch.</param>
/// <param name="Objective">Classification: what the best epoch is chosen by (accuracy, macro F1 or cost); null: accuracy.</param>
public sealed record TabularTrainingRequest(
    TabularTrialConfig Config,
    TabularPreprocessingPlan Plan,
    TabularExamples Train,
    TabularExamples Validation,
    string CheckpointFolder,
    int Seed,
    Device Device,
    string? Metric = null,
    int Threads = 0,
    Objective? Objective = null);

/// <summary>Trains and evaluates tabular MLPs with checkpoints that survive a crash.</summary>
public static class TabularTrainer
{
    /// <summary>File name of the preprocessing plan (JSON) the trainer keeps beside the weights.</summary>
    public const string PlanFile = "preprocessing.json";

    /// <summary>
    /// Trains <c>Config.Training.Epochs</c> epochs (cross-entropy, or MSE on the standardised target) in the loop every
    /// neural learner shares (seeded, checkpointed after every epoch, resumed exactly), keeping <c>best.weights</c> by the
    /// validation metric. The plan is written to <see cref="PlanFile"/> first, so the folder holds everything prediction needs.
    /// </summary>
    public static Task<SupervisedTrainingOutcome> TrainAsync(TabularTrainingRequest request, Func<SupervisedEpochReport, Task> onEpoch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(onEpoch);
        var architecture = request.Config.Architecture;
        var objective = architecture.Task == PredictionTask.Classification
            ? SupervisedMetrics.ClassificationObjective(request.Objective, request.Train.Targets.ClassCount)
            : null;
        var metric = objective?.Metric.Name ?? request.Metric ?? SupervisedMetrics.DefaultFor(architecture.Task);
        CheckShape(architecture, request.Plan);
        CheckTargets(architecture, request.Train);
        CheckTargets(architecture, request.Validation);

        var (train, validation, device) = (request.Plan.Transform(request.Train.Rows), request.Plan.Transform(request.Validation.Rows), request.Device);
        var run = new SupervisedRun(request.Config.Training, request.Train.Targets, request.Validation.Targets, request.Plan.Target, metric, objective,
            request.CheckpointFolder, request.Seed, device, request.Threads, PlanFile, request.Plan.ToJson());
        return SupervisedTrainingLoop.TrainAsync(run, () => new TabularMlp(architecture), model => (Forward(model, train, device), Forward(model, validation, device)),
            onEpoch, cancellationToken);
    }

    /// <summary>
    /// Builds <paramref name="architecture"/>, loads weights saved by <see cref="TrainAsync"/>, and evaluates
    /// <paramref name="data"/> through <paramref name="plan"/>: confusion matrix and probabilities, or RMSE, MAE and
    /// predictions in the target's units.
    /// </summary>
    public static SupervisedEvaluation Evaluate(TabularMlpArchitecture architecture, string weightsPath, TabularPreprocessingPlan plan, TabularExamples data, Device device)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(data);
        CheckShape(architecture, plan);
        CheckTargets(architecture, data);

        using var model = SupervisedTrainingLoop.Load(weightsPath, device, () => new TabularMlp(architecture));
        return SupervisedTrainingLoop.Evaluate(model, Forward(model, plan.Transform(data.Rows), device), data.Targets, plan.Target,
            withOutputs: true, CancellationToken.None);
    }

    private static BatchForward Forward(TabularMlp model, TabularFeatures features, Device device) => rows =>
    {
        var numeric = new float[rows.Length * features.NumericWidth];
        var categorical = new long[rows.Length * features.CategoricalWidth];
        for (var i = 0; i < rows.Length; i++)
        {
            Array.Copy(features.Numeric, rows[i] * features.NumericWidth, numeric, i * features.NumericWidth, features.NumericWidth);
            Array.Copy(features.Categorical, rows[i] * features.CategoricalWidth, categorical, i * features.CategoricalWidth, features.CategoricalWidth);
        }
        return model.forward(
            torch.tensor(numeric, [rows.Length, features.NumericWidth], device: device),
            torch.tensor(categorical, [rows.Length, features.CategoricalWidth], device: device));
    };

    private static void CheckShape(TabularMlpArchitecture architecture, TabularPreprocessingPlan plan)
    {
        if (architecture.NumericFeatures != plan.Numeric.Count || !architecture.Cardinalities.SequenceEqual(plan.Cardinalities))
            throw new ArgumentException(
                $"The architecture expects {architecture.NumericFeatures} numeric inputs and categorical cardinalities " +
                $"[{string.Join(", ", architecture.Cardinalities)}], but the preprocessing plan gives {plan.Numeric.Count} and " +
                $"[{string.Join(", ", plan.Cardinalities)}].");
    }

    private static void CheckTargets(TabularMlpArchitecture architecture, TabularExamples examples)
    {
        var targets = examples.Targets;
        if (examples.Rows.Count != targets.Count)
            throw new ArgumentException($"{examples.Rows.Count} rows but {targets.Count} targets.");
        if (targets.Task != architecture.Task || (targets.Task == PredictionTask.Classification && targets.ClassCount != architecture.ClassCount))
            throw new ArgumentException($"The targets ({targets.Task}, {targets.ClassCount} classes) do not fit the architecture ({architecture.Task}, {architecture.ClassCount} classes).");
    }
}
