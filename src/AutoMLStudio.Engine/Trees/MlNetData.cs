using AutoMLStudio.Engine.Training;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace AutoMLStudio.Engine.Trees;

/// <summary>
/// Rows as ML.NET reads them: a <c>Features</c> vector and a <c>Label</c> (a bool for two classes, the class index as a key for
/// more, so that a multiclass model's scores come in class index order; a regression's target standardised), and what
/// a trained model answers for them: probabilities per class, or standardised values.
/// </summary>
internal static class MlNetData
{
    public const string Features = "Features";
    public const string Label = "Label";

    /// <summary>Training rows with their targets.</summary>
    public static IDataView Labelled(MLContext ml, float[][] features, SupervisedTargets targets, TableInputs inputs, StandardScaling? target)
    {
        var width = features.Length == 0 ? 1 : features[0].Length;
        if (inputs.Task == PredictionTask.Regression)
        {
            var scaling = target ?? throw new ArgumentException("A regression model trains on the standardised target; its scaling is missing.", nameof(target));
            // Unclipped, as the neural learners train, so a far-out target still pulls the model.
            return Load(ml, features.Select((f, i) => new ValueRow { Features = f, Label = (float)((targets.Values[i] - scaling.Mean) / scaling.Scale) }), width, null);
        }
        if (inputs.ClassCount == 2)
            return Load(ml, features.Select((f, i) => new BinaryRow { Features = f, Label = targets.Labels[i] == 1 }), width, null);
        // LoadFromEnumerable reads a key column's raw values from 0 (checked: 1-based labels left the first class untrained).
        return Load(ml, features.Select((f, i) => new KeyRow { Features = f, Label = (uint)targets.Labels[i] }), width,
            new KeyDataViewType(typeof(uint), inputs.ClassCount));
    }

    /// <summary>Rows without targets: what prediction and the ONNX converter see (a label in the schema would become a graph input).</summary>
    public static IDataView Unlabelled(MLContext ml, float[][] features, int width) =>
        Load(ml, features.Select(f => new FeatureRow { Features = f }), width, null);

    /// <summary>The model's answer for each row: class probabilities, or the standardised value in <c>[row][0]</c>.</summary>
    public static float[][] Predict(MLContext ml, ITransformer model, float[][] features, int width, TableInputs inputs)
    {
        var scored = model.Transform(Unlabelled(ml, features, width));
        if (inputs.Task == PredictionTask.Regression)
            return [.. scored.GetColumn<float>("Score").Select(v => new[] { v })];
        if (inputs.ClassCount == 2)
            return [.. scored.GetColumn<float>("Probability").Select(p => new[] { 1 - p, p })];
        return [.. scored.GetColumn<VBuffer<float>>("Score").Select(v => v.DenseValues().ToArray())];
    }

    private static IDataView Load<TRow>(MLContext ml, IEnumerable<TRow> rows, int width, KeyDataViewType? key) where TRow : FeatureRow
    {
        var schema = SchemaDefinition.Create(typeof(TRow));
        schema[Features].ColumnType = new VectorDataViewType(NumberDataViewType.Single, width);
        if (key is not null) schema[Label].ColumnType = key;
        return ml.Data.LoadFromEnumerable(rows.ToList(), schema);
    }

    // ML.NET reads these by reflection.
    internal class FeatureRow
    {
        public float[] Features { get; set; } = [];
    }

    internal sealed class BinaryRow : FeatureRow
    {
        public bool Label { get; set; }
    }

    internal sealed class KeyRow : FeatureRow
    {
        public uint Label { get; set; }
    }

    internal sealed class ValueRow : FeatureRow
    {
        public float Label { get; set; }
    }
}
