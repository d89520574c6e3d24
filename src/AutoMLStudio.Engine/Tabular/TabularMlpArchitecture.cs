using System.Text.Json.Serialization;
using AutoMLStudio.Engine.Training;

namespace AutoMLStudio.Engine.Tabular;

/// <summary>
/// An MLP over a preprocessed table: one embedding per categorical input (width from
/// <see cref="EmbeddingWidth"/>) concatenated with the numeric inputs, then <paramref name="HiddenLayers"/> blocks of
/// linear -> optional batch norm -> ReLU -> dropout, then the output layer (one logit per class, or one value).
/// </summary>
/// <param name="NumericFeatures">Numeric inputs (<see cref="TabularPreprocessingPlan.Numeric"/>).</param>
/// <param name="Cardinalities">Rows of each categorical input's embedding table (<see cref="TabularPreprocessingPlan.Cardinalities"/>).</param>
/// <param name="Task">Classification or regression.</param>
/// <param name="ClassCount">Classes (classification); ignored for regression.</param>
/// <param name="HiddenLayers">Hidden blocks, 1 to 3.</param>
/// <param name="HiddenWidth">Units of every hidden block.</param>
/// <param name="BatchNorm">Batch norm after each hidden linear layer (the layer then has no bias).</param>
/// <param name="Dropout">Dropout after each hidden block.</param>
public sealed record TabularMlpArchitecture(
    int NumericFeatures,
    IReadOnlyList<int> Cardinalities,
    PredictionTask Task,
    int ClassCount,
    int HiddenLayers,
    int HiddenWidth,
    bool BatchNorm,
    double Dropout)
{
    /// <summary>Embedding width for a categorical input with <paramref name="cardinality"/> rows: <c>min(16, (n + 1) / 2)</c>.</summary>
    public static int EmbeddingWidth(int cardinality) => Math.Min(16, (cardinality + 1) / 2);

    /// <summary>Width of the concatenated input: numeric features plus every embedding's width.</summary>
    [JsonIgnore]
    public int InputWidth => NumericFeatures + Cardinalities.Sum(EmbeddingWidth);

    /// <summary>Units of the output layer: the class count, or 1 for regression.</summary>
    [JsonIgnore]
    public int Outputs => Task == PredictionTask.Classification ? ClassCount : 1;
}

/// <summary>A tabular trial: the network and how to train it.</summary>
public sealed record TabularTrialConfig(TabularMlpArchitecture Architecture, Spaces.TrainingSettings Training);
