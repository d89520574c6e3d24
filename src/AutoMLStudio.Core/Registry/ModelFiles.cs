namespace AutoMLStudio.Core.Registry;

/// <summary>The files of a registered model version, by their names in its artifact folder and in downloads.</summary>
public static class ModelFiles
{
    public const string Weights = "weights.dat";
    public const string Card = "model.json";
    public const string Onnx = "model.onnx";
    /// <summary>Tabular: the column encoders (<see cref="Engine.Tabular.TabularPreprocessingPlan"/>); text: the tokenizer.</summary>
    public const string Preprocessing = "preprocessing.json";
}
