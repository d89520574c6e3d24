using System.Text.Json.Serialization;
using AutoMLStudio.Engine.Tabular;
using AutoMLStudio.Engine.Training;

namespace AutoMLStudio.Engine.Trees;

/// <summary>
/// The table a tree or linear model reads: the preprocessing plan's numeric inputs and categorical cardinalities (the
/// exported graph's <c>numeric</c> and <c>categorical</c> inputs), and what it predicts.
/// </summary>
/// <param name="Task">Classification or regression.</param>
/// <param name="ClassCount">Classes (classification); 2 trains a binary model.</param>
/// <param name="NumericFeatures">Numeric inputs (<see cref="TabularPreprocessingPlan.Numeric"/>).</param>
/// <param name="Cardinalities">Each categorical input's cardinality (<see cref="TabularPreprocessingPlan.Cardinalities"/>).</param>
public sealed record TableInputs(PredictionTask Task, int ClassCount, int NumericFeatures, IReadOnlyList<int> Cardinalities)
{
    /// <summary>The inputs of a plan fitted on the training split.</summary>
    public static TableInputs Of(TabularPreprocessingPlan plan, PredictionTask task, int classCount) =>
        new(task, task == PredictionTask.Classification ? classCount : 1, plan.Numeric.Count, plan.Cardinalities);

    /// <summary>Outputs of the model: one per class (a binary model's two), or one value.</summary>
    [JsonIgnore]
    public int Outputs => Task == PredictionTask.Classification ? ClassCount : 1;

    /// <summary>Models trained per round or tree: one per class for a multiclass model, else one.</summary>
    [JsonIgnore]
    public int ModelsPerRound => Task == PredictionTask.Classification && ClassCount > 2 ? ClassCount : 1;
}

/// <summary>A LightGBM candidate: gradient-boosted trees grown leaf-wise.</summary>
/// <param name="Inputs">The table it reads.</param>
/// <param name="Rounds">Boosting rounds (trees per class).</param>
/// <param name="Leaves">Most leaves of a tree.</param>
/// <param name="LearningRate">Shrinkage of each tree.</param>
/// <param name="MinRowsPerLeaf">Fewest training rows a leaf holds.</param>
/// <param name="FeatureFraction">Share of the features each tree may split on.</param>
/// <param name="L2">L2 regularisation of the leaf values.</param>
/// <param name="Stages">Stages the rounds are trained in (the fidelity a scheduler prunes by; each stage is an epoch).</param>
public sealed record LightGbmConfig(TableInputs Inputs, int Rounds, int Leaves, double LearningRate, int MinRowsPerLeaf, double FeatureFraction, double L2, int Stages);

/// <summary>A random forest candidate (ML.NET's FastForest).</summary>
/// <param name="Inputs">The table it reads.</param>
/// <param name="Trees">Trees (per class for a multiclass model, one-versus-all).</param>
/// <param name="Leaves">Most leaves of a tree.</param>
/// <param name="MinRowsPerLeaf">Fewest training rows a leaf holds.</param>
/// <param name="FeatureFraction">Share of the features each tree may split on.</param>
/// <param name="Stages">Stages the trees are trained in (each stage is an epoch).</param>
public sealed record ForestConfig(TableInputs Inputs, int Trees, int Leaves, int MinRowsPerLeaf, double FeatureFraction, int Stages);

/// <summary>
/// A linear candidate with L2 regularisation: logistic regression (L-BFGS; multinomial for several classes) or, for
/// regression, a linear model fitted by SDCA. Categories are one-hot encoded.
/// </summary>
/// <param name="Inputs">The table it reads.</param>
/// <param name="L2">L2 regularisation weight.</param>
public sealed record LinearConfig(TableInputs Inputs, double L2);
