using System.Globalization;
using AutoMLStudio.Engine.Search;
using AutoMLStudio.Engine.Training;
using AutoMLStudio.Engine.Trees;
using Microsoft.ML;
using Microsoft.ML.Trainers.FastTree;
using static TorchSharp.torch;

namespace AutoMLStudio.Engine.Learners;

/// <summary>
/// A random forest (ML.NET's FastForest) on a table's preprocessed columns, categories as ordinal features. Two classes:
/// one forest whose score a Platt sigmoid turns into a probability; more: one such forest per class (one-versus-all),
/// the probabilities normalised; regression: a regression forest.
/// </summary>
public sealed class ForestLearner : MlNetTableLearner<ForestConfig>
{
    public override string Name => "forest";

    public override ParameterSpace Space(DataProfile profile) => new(
        ParameterDimension.IntRange("trees", 16, 512, log: true),
        ParameterDimension.IntRange("leaves", 4, 256, log: true),
        ParameterDimension.IntRange("minRowsPerLeaf", 1, 64, log: true),
        ParameterDimension.FloatRange("featureFraction", 0.3, 1));

    // FastForest's own defaults, with the hundred trees scikit-learn's forest starts from.
    public override IReadOnlyList<ParameterSet> StartingPoints(DataProfile profile) => [Point(trees: 100, leaves: 20, minRowsPerLeaf: 10, featureFraction: 0.7)];

    protected override ForestConfig Decode(ParameterSet point, DataProfile profile, out long parameters, out long flops)
    {
        var config = new ForestConfig(TableInputs.Of(Plan(profile), profile.Task, profile.ClassCount), point.GetInt("trees"), point.GetInt("leaves"),
            point.GetInt("minRowsPerLeaf"), point.GetDouble("featureFraction"), Stages(profile));
        (parameters, flops) = (Recipe(config).Parameters, Comparisons(config));
        return config;
    }

    protected override ParameterSet Encode(ForestConfig config) => Point(Math.Clamp(config.Trees, 16, 512), Math.Clamp(config.Leaves, 4, 256),
        Math.Clamp(config.MinRowsPerLeaf, 1, 64), Math.Clamp(config.FeatureFraction, 0.3, 1));

    protected override double LatencyMs(ForestConfig config, Device device) => EstimatedLatencyMs(Comparisons(config));

    protected override (string Architecture, string Training) Describe(ForestConfig config) => (
        string.Create(CultureInfo.InvariantCulture,
            $"Random forest, {config.Trees} trees{(config.Inputs.ModelsPerRound > 1 ? " per class" : "")} of up to {config.Leaves} leaves"),
        string.Create(CultureInfo.InvariantCulture,
            $"at least {config.MinRowsPerLeaf} rows per leaf (a tenth of the rows on a small table), {config.FeatureFraction:P0} of the columns per tree, in {config.Stages} stages"));

    internal override MlNetRecipe Recipe(ForestConfig config) => new(config.Inputs, TableFeatureLayout.Ordinal, config.Stages,
        (long)config.Trees * config.Inputs.ModelsPerRound * (2L * config.Leaves - 1), (ml, stage) => Trainer(ml, config, stage));

    private static IEstimator<ITransformer> Trainer(MLContext ml, ForestConfig config, MlNetStage stage)
    {
        var (trees, leaves, minRows, fraction) = (SizeAt(config.Trees, stage.Stage, config.Stages), config.Leaves, stage.RowsPerLeaf(config.MinRowsPerLeaf), config.FeatureFraction);
        if (config.Inputs.Task == PredictionTask.Regression)
            return ml.Regression.Trainers.FastForest(new FastForestRegressionTrainer.Options
            {
                NumberOfTrees = trees, NumberOfLeaves = leaves, MinimumExampleCountPerLeaf = minRows, FeatureFraction = fraction,
                NumberOfThreads = stage.Threads, Seed = stage.Seed, FeatureSelectionSeed = stage.Seed,
            });
        var binary = ml.BinaryClassification.Trainers.FastForest(new FastForestBinaryTrainer.Options
        {
            NumberOfTrees = trees, NumberOfLeaves = leaves, MinimumExampleCountPerLeaf = minRows, FeatureFraction = fraction,
            NumberOfThreads = stage.Threads, Seed = stage.Seed, FeatureSelectionSeed = stage.Seed,
        });
        // A forest's score is not a probability: Platt's sigmoid, fitted on the training rows, makes it one (and converts to ONNX).
        return config.Inputs.ClassCount == 2
            ? binary.Append(ml.BinaryClassification.Calibrators.Platt())
            : ml.MulticlassClassification.Trainers.OneVersusAll(binary, useProbabilities: true);
    }

    private static long Comparisons(ForestConfig config) => (long)config.Trees * config.Inputs.ModelsPerRound * TreeDepth(config.Leaves);

    private static ParameterSet Point(double trees, double leaves, double minRowsPerLeaf, double featureFraction) => new(
    [
        new("trees", trees), new("leaves", leaves), new("minRowsPerLeaf", minRowsPerLeaf), new("featureFraction", featureFraction),
    ]);
}
