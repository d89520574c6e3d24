using System.Diagnostics;
using AutoMLStudio.Engine.Learners;
using AutoMLStudio.Engine.Metrics;
using AutoMLStudio.Engine.Onnx;
using AutoMLStudio.Engine.Tabular;
using AutoMLStudio.Engine.Training;
using Microsoft.ML;

namespace AutoMLStudio.Engine.Trees;

/// <summary>What one stage trains with: which stage, the seed and the threads every ML.NET trainer is given, and the training rows.</summary>
internal sealed record MlNetStage(int Stage, int Seed, int Threads, int Rows)
{
    /// <summary>
    /// The rows a leaf needs: the candidate's, but at most a tenth of the training rows, so that a small table still splits
    /// (LightGBM's default of 20 leaves a 40-row table one leaf, a model of the class prior).
    /// </summary>
    public int RowsPerLeaf(int configured) => Math.Max(1, Math.Min(configured, Rows / 10));
}

/// <summary>
/// A tree or linear learner's training as ML.NET sees it: the table it reads and how, the stages its size is trained
/// in, its nominal size (parameters) and the estimator of each stage.
/// </summary>
internal sealed record MlNetRecipe(TableInputs Inputs, TableFeatureLayout Layout, int Stages, long Parameters, Func<MLContext, MlNetStage, IEstimator<ITransformer>> Estimator);

/// <summary>
/// Trains ML.NET models on a table in stages, the fidelity a scheduler prunes by: stage k of S fits the model of k/S of
/// the candidate's size from scratch (ML.NET has no warm start; a fixed seed and thread count make it deterministic),
/// scores it on validation as the neural learners score an epoch, keeps the best stage's model zip as
/// <c>best.weights</c> and commits <c>state.json</c> after each stage (<see cref="CheckpointFiles"/>), so a killed
/// trial resumes at the next stage and ends equal to an uninterrupted run.
/// </summary>
internal static class MlNetTraining
{
    public static async Task<SupervisedTrainingOutcome> TrainAsync(MlNetRecipe recipe, TabularPreprocessingPlan plan, RowExamples train, RowExamples validation,
        TrainingSetup setup, Func<SupervisedEpochReport, Task> onEpoch, CancellationToken cancellationToken)
    {
        var task = recipe.Inputs.Task;
        var objective = task == PredictionTask.Classification ? SupervisedMetrics.ClassificationObjective(setup.Objective, recipe.Inputs.ClassCount) : null;
        var metric = objective?.Metric.Name ?? setup.RegressionMetric ?? SupervisedMetrics.DefaultFor(task);
        Check(recipe, train, validation, setup, metric);

        var folder = setup.CheckpointFolder;
        Directory.CreateDirectory(folder);
        CheckpointFiles.WriteAtomically(Path.Combine(folder, TabularTrainer.PlanFile), p => File.WriteAllText(p, plan.ToJson()));
        var bestPath = Path.Combine(folder, CheckpointFiles.BestWeightsFile);
        var state = CheckpointFiles.Load<SupervisedEpochReport>(folder);
        var reports = state?.Epochs ?? [];
        var (bestStage, best) = (state?.BestEpoch ?? 0, state?.BestValMetric ?? double.NaN);
        foreach (var report in reports) await onEpoch(report);

        if (reports.Count < recipe.Stages)
        {
            var width = TableFeatureVectors.Width(recipe.Inputs, recipe.Layout);
            var trainRows = TableFeatureVectors.Rows(plan.Transform(train.Values), recipe.Inputs, recipe.Layout);
            var validationRows = TableFeatureVectors.Rows(plan.Transform(validation.Values), recipe.Inputs, recipe.Layout);
            var threads = setup.Threads > 0 ? setup.Threads : 1;
            for (var stage = reports.Count + 1; stage <= recipe.Stages; stage++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var clock = Stopwatch.StartNew();
                var ml = new MLContext(setup.Seed);
                var model = recipe.Estimator(ml, new MlNetStage(stage, setup.Seed, threads, train.Values.Count))
                    .Fit(MlNetData.Labelled(ml, trainRows, train.Targets, recipe.Inputs, plan.Target));
                var trained = Evaluate(MlNetData.Predict(ml, model, trainRows, width, recipe.Inputs), train.Targets, plan.Target, withOutputs: false);
                var validated = Evaluate(MlNetData.Predict(ml, model, validationRows, width, recipe.Inputs), validation.Targets, plan.Target, withOutputs: false);
                var score = SupervisedMetrics.Score(validated, metric, objective);
                var report = new SupervisedEpochReport(stage, trained.Loss, validated.Loss, score, clock.Elapsed.TotalSeconds, validated.ConfusionMatrix);

                // The best model is written before the record that names its stage; a crash in between retrains this
                // stage on resume, deterministically, and writes the same model again.
                if (bestStage == 0 || SupervisedMetrics.IsBetter(metric, score, best))
                {
                    CheckpointFiles.WriteAtomically(bestPath, p => ml.Model.Save(model, MlNetData.Unlabelled(ml, [], width).Schema, p));
                    (bestStage, best) = (stage, score);
                }
                reports.Add(report);
                state = new CheckpointState<SupervisedEpochReport>(stage, [.. reports], bestStage, CheckpointFiles.BestWeightsFile, "", null, metric, best);
                CheckpointFiles.WriteJson(Path.Combine(folder, CheckpointFiles.StateFile), state);
                await onEpoch(report);
            }
        }
        return new SupervisedTrainingOutcome(reports, metric, best, bestStage, bestPath, recipe.Parameters);
    }

    /// <summary>The model zip at <paramref name="weightsPath"/> on <paramref name="data"/>, with its probabilities or predictions.</summary>
    public static SupervisedEvaluation Evaluate(MlNetRecipe recipe, string weightsPath, TabularPreprocessingPlan plan, RowExamples data)
    {
        if (!File.Exists(weightsPath)) throw new FileNotFoundException($"No model at {weightsPath}.", weightsPath);
        var ml = new MLContext(0);
        var model = ml.Model.Load(weightsPath, out _);
        var rows = TableFeatureVectors.Rows(plan.Transform(data.Values), recipe.Inputs, recipe.Layout);
        var outputs = MlNetData.Predict(ml, model, rows, TableFeatureVectors.Width(recipe.Inputs, recipe.Layout), recipe.Inputs);
        return Evaluate(outputs, data.Targets, plan.Target, withOutputs: true);
    }

    /// <summary>
    /// The model zip at <paramref name="weightsPath"/> as a self-contained ONNX graph with the tabular contract: ML.NET's
    /// converter writes the model (on a label-free schema, or the label would become an input), <see cref="MlNetTableGraph"/> wraps it.
    /// </summary>
    public static byte[] ExportOnnx(MlNetRecipe recipe, string weightsPath, StandardScaling? target)
    {
        if (!File.Exists(weightsPath)) throw new FileNotFoundException($"No model at {weightsPath}.", weightsPath);
        var ml = new MLContext(0);
        var model = ml.Model.Load(weightsPath, out _);
        using var converted = new MemoryStream();
        ml.Model.ConvertToOnnx(model, MlNetData.Unlabelled(ml, [], TableFeatureVectors.Width(recipe.Inputs, recipe.Layout)), converted);
        return MlNetTableGraph.Build(converted.ToArray(), recipe.Inputs, recipe.Layout, target);
    }

    /// <summary>Loss (cross-entropy, or MSE on the standardised target) and metrics of a model's outputs, as the neural learners count them.</summary>
    private static SupervisedEvaluation Evaluate(float[][] outputs, SupervisedTargets targets, StandardScaling? scaling, bool withOutputs)
    {
        var n = Math.Max(1, targets.Count);
        if (targets.Task == PredictionTask.Classification)
        {
            var confusion = Enumerable.Range(0, targets.ClassCount).Select(_ => new int[targets.ClassCount]).ToArray();
            double loss = 0;
            var correct = 0;
            for (var i = 0; i < targets.Count; i++)
            {
                var (truth, probabilities) = (targets.Labels[i], outputs[i]);
                var predicted = 0;
                for (var c = 1; c < probabilities.Length; c++) if (probabilities[c] > probabilities[predicted]) predicted = c;
                confusion[truth][predicted]++;
                if (predicted == truth) correct++;
                loss -= Math.Log(Math.Max(probabilities[truth], 1e-7));
            }
            return new SupervisedEvaluation(targets.Count, loss / n, (double)correct / n, confusion, withOutputs ? outputs : null, null, null, null);
        }

        var target = scaling ?? throw new ArgumentException("A regression model needs its target scaling.", nameof(scaling));
        var predictions = new double[targets.Count];
        double squared = 0, absolute = 0, standardisedSquared = 0;
        for (var i = 0; i < targets.Count; i++)
        {
            predictions[i] = target.Invert(outputs[i][0]);
            var error = predictions[i] - targets.Values[i];
            squared += error * error;
            absolute += Math.Abs(error);
            var standardised = outputs[i][0] - (targets.Values[i] - target.Mean) / target.Scale;
            standardisedSquared += standardised * standardised;
        }
        return new SupervisedEvaluation(targets.Count, standardisedSquared / n, null, null, null, Math.Sqrt(squared / n), absolute / n,
            withOutputs ? predictions : null);
    }

    private static void Check(MlNetRecipe recipe, RowExamples train, RowExamples validation, TrainingSetup setup, string metric)
    {
        if (recipe.Stages < 1) throw new ArgumentException("Training needs at least one stage.");
        if (train.Targets.Count == 0) throw new ArgumentException("The training set is empty.");
        if (validation.Targets.Count == 0) throw new ArgumentException("The validation set is empty.");
        if (string.IsNullOrWhiteSpace(setup.CheckpointFolder)) throw new ArgumentException("A checkpoint folder is required.");
        if (!SupervisedMetrics.Fits(metric, recipe.Inputs.Task))
            throw new ArgumentException($"Metric '{metric}' does not fit {recipe.Inputs.Task.ToString().ToLowerInvariant()}.");
        foreach (var targets in new[] { train.Targets, validation.Targets })
        {
            if (targets.Task != recipe.Inputs.Task || (targets.Task == PredictionTask.Classification && targets.ClassCount != recipe.Inputs.ClassCount))
                throw new ArgumentException($"The targets ({targets.Task}, {targets.ClassCount} classes) do not fit the model ({recipe.Inputs.Task}, {recipe.Inputs.ClassCount} classes).");
        }
    }
}
