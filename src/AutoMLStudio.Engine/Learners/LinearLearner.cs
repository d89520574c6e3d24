using System.Globalization;
using AutoMLStudio.Engine.Search;
using AutoMLStudio.Engine.Training;
using AutoMLStudio.Engine.Trees;
using Microsoft.ML;
using Microsoft.ML.Trainers;
using static TorchSharp.torch;

namespace AutoMLStudio.Engine.Learners;

/// <summary>
/// A linear model with L2 regularisation on a table's preprocessed columns (numbers standardised by the plan,
/// categories one-hot): logistic regression by L-BFGS (multinomial for more than two classes), or for regression a
/// linear model fitted by SDCA (ML.NET's least squares trainer is not on the package mirror). One stage.
/// </summary>
public sealed class LinearLearner : MlNetTableLearner<LinearConfig>
{
    public override string Name => "linear";

    public override ParameterSpace Space(DataProfile profile) => new(ParameterDimension.FloatRange("l2", 1e-4, 10, log: true));

    // scikit-learn's LogisticRegression default (C = 1).
    public override IReadOnlyList<ParameterSet> StartingPoints(DataProfile profile) => [Point(1)];

    protected override LinearConfig Decode(ParameterSet point, DataProfile profile, out long parameters, out long flops)
    {
        var config = new LinearConfig(TableInputs.Of(Plan(profile), profile.Task, profile.ClassCount), point.GetDouble("l2"));
        parameters = Recipe(config).Parameters;
        flops = 2 * parameters;
        return config;
    }

    protected override ParameterSet Encode(LinearConfig config) => Point(Math.Clamp(config.L2, 1e-4, 10));

    protected override double LatencyMs(LinearConfig config, Device device) => EstimatedLatencyMs(Recipe(config).Parameters);

    protected override (string Architecture, string Training) Describe(LinearConfig config) => (
        config.Inputs.Task == PredictionTask.Regression ? "Linear regression" : "Logistic regression",
        string.Create(CultureInfo.InvariantCulture,
            $"L2 {config.L2:0.####}, {(config.Inputs.Task == PredictionTask.Regression ? "SDCA" : "L-BFGS")}, categories one-hot"));

    internal override MlNetRecipe Recipe(LinearConfig config)
    {
        var width = TableFeatureVectors.Width(config.Inputs, TableFeatureLayout.OneHot);
        // A binary model has one weight vector and bias; a multinomial one, one per class.
        var vectors = config.Inputs.Task == PredictionTask.Classification && config.Inputs.ClassCount > 2 ? config.Inputs.ClassCount : 1;
        return new(config.Inputs, TableFeatureLayout.OneHot, Stages: 1, (long)vectors * (width + 1), (ml, stage) => Trainer(ml, config, stage));
    }

    private static IEstimator<ITransformer> Trainer(MLContext ml, LinearConfig config, MlNetStage stage)
    {
        var l2 = (float)config.L2;
        if (config.Inputs.Task == PredictionTask.Regression)
            return ml.Regression.Trainers.Sdca(new SdcaRegressionTrainer.Options { L2Regularization = l2, L1Regularization = 0, NumberOfThreads = stage.Threads });
        if (config.Inputs.ClassCount == 2)
            return ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
            {
                L2Regularization = l2, L1Regularization = 0, NumberOfThreads = stage.Threads,
            });
        return ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
        {
            L2Regularization = l2, L1Regularization = 0, NumberOfThreads = stage.Threads,
        });
    }

    private static ParameterSet Point(double l2) => new([new KeyValuePair<string, object>("l2", l2)]);
}
