using System.Globalization;
using AutoMLStudio.Engine.Search;
using AutoMLStudio.Engine.Training;
using AutoMLStudio.Engine.Trees;
using Microsoft.ML;
using Microsoft.ML.Trainers.LightGbm;
using static TorchSharp.torch;

namespace AutoMLStudio.Engine.Learners;

/// <summary>Gradient-boosted trees (LightGBM through ML.NET) on a table's preprocessed columns, categories as ordinal features.</summary>
public sealed class LightGbmLearner : MlNetTableLearner<LightGbmConfig>
{
    public override string Name => "lightgbm";

    public override ParameterSpace Space(DataProfile profile) => new(
        ParameterDimension.IntRange("rounds", 16, 1024, log: true),
        ParameterDimension.IntRange("leaves", 4, 256, log: true),
        ParameterDimension.FloatRange("learningRate", 0.01, 0.3, log: true),
        ParameterDimension.IntRange("minRowsPerLeaf", 2, 64, log: true),
        ParameterDimension.FloatRange("featureFraction", 0.5, 1),
        ParameterDimension.FloatRange("l2", 1e-3, 10, log: true));

    // FLAML's order: a tiny, cheap model first, then LightGBM's own defaults (L2 at the space's floor stands for none).
    public override IReadOnlyList<ParameterSet> StartingPoints(DataProfile profile) =>
    [
        Point(rounds: 16, leaves: 4, learningRate: 0.1, minRowsPerLeaf: 20, featureFraction: 1, l2: 1),
        Point(rounds: 100, leaves: 31, learningRate: 0.1, minRowsPerLeaf: 20, featureFraction: 1, l2: 1e-3),
    ];

    protected override LightGbmConfig Decode(ParameterSet point, DataProfile profile, out long parameters, out long flops)
    {
        var config = new LightGbmConfig(TableInputs.Of(Plan(profile), profile.Task, profile.ClassCount), point.GetInt("rounds"), point.GetInt("leaves"),
            point.GetDouble("learningRate"), point.GetInt("minRowsPerLeaf"), point.GetDouble("featureFraction"), point.GetDouble("l2"), Stages(profile));
        (parameters, flops) = (Recipe(config).Parameters, Comparisons(config));
        return config;
    }

    protected override ParameterSet Encode(LightGbmConfig config) => Point(Math.Clamp(config.Rounds, 16, 1024), Math.Clamp(config.Leaves, 4, 256),
        Math.Clamp(config.LearningRate, 0.01, 0.3), Math.Clamp(config.MinRowsPerLeaf, 2, 64), Math.Clamp(config.FeatureFraction, 0.5, 1), Math.Clamp(config.L2, 1e-3, 10));

    protected override double LatencyMs(LightGbmConfig config, Device device) => EstimatedLatencyMs(Comparisons(config));

    protected override (string Architecture, string Training) Describe(LightGbmConfig config) => (
        string.Create(CultureInfo.InvariantCulture,
            $"LightGBM, {config.Rounds} trees{(config.Inputs.ModelsPerRound > 1 ? " per class" : "")} of up to {config.Leaves} leaves, learning rate {config.LearningRate:0.###}"),
        string.Create(CultureInfo.InvariantCulture,
            $"at least {config.MinRowsPerLeaf} rows per leaf (a tenth of the rows on a small table), {config.FeatureFraction:P0} of the columns per tree, L2 {config.L2:0.####}, in {config.Stages} stages"));

    internal override MlNetRecipe Recipe(LightGbmConfig config) => new(config.Inputs, TableFeatureLayout.Ordinal, config.Stages,
        (long)config.Rounds * config.Inputs.ModelsPerRound * (2L * config.Leaves - 1), (ml, stage) => Trainer(ml, config, stage));

    private static IEstimator<ITransformer> Trainer(MLContext ml, LightGbmConfig config, MlNetStage stage)
    {
        var (rounds, leaves, rate, minRows) = (SizeAt(config.Rounds, stage.Stage, config.Stages), config.Leaves, config.LearningRate, stage.RowsPerLeaf(config.MinRowsPerLeaf));
        var booster = new GradientBooster.Options { L2Regularization = config.L2, FeatureFraction = config.FeatureFraction };
        // One thread and a fixed seed: faster under load on these machines, and the thread count changes the trees.
        if (config.Inputs.Task == PredictionTask.Regression)
            return ml.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options
            {
                NumberOfIterations = rounds, NumberOfLeaves = leaves, LearningRate = rate, MinimumExampleCountPerLeaf = minRows, Booster = booster,
                NumberOfThreads = stage.Threads, Seed = stage.Seed, Deterministic = true, Silent = true,
            });
        if (config.Inputs.ClassCount == 2)
            return ml.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
            {
                NumberOfIterations = rounds, NumberOfLeaves = leaves, LearningRate = rate, MinimumExampleCountPerLeaf = minRows, Booster = booster,
                NumberOfThreads = stage.Threads, Seed = stage.Seed, Deterministic = true, Silent = true,
            });
        return ml.MulticlassClassification.Trainers.LightGbm(new LightGbmMulticlassTrainer.Options
        {
            NumberOfIterations = rounds, NumberOfLeaves = leaves, LearningRate = rate, MinimumExampleCountPerLeaf = minRows, Booster = booster,
            NumberOfThreads = stage.Threads, Seed = stage.Seed, Deterministic = true, Silent = true,
        });
    }

    private static long Comparisons(LightGbmConfig config) => (long)config.Rounds * config.Inputs.ModelsPerRound * TreeDepth(config.Leaves);

    private static ParameterSet Point(double rounds, double leaves, double learningRate, double minRowsPerLeaf, double featureFraction, double l2) => new(
    [
        new("rounds", rounds), new("leaves", leaves), new("learningRate", learningRate), new("minRowsPerLeaf", minRowsPerLeaf),
        new("featureFraction", featureFraction), new("l2", l2),
    ]);
}
