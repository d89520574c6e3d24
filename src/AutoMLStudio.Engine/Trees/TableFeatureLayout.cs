using AutoMLStudio.Engine.Tabular;

namespace AutoMLStudio.Engine.Trees;

/// <summary>
/// How a tree or linear model sees the plan's inputs, one float vector per row: the numeric inputs first, then each
/// categorical input either as its index (<see cref="Ordinal"/>: trees split on it; LightGBM's own categorical split
/// does not survive ONNX) or one-hot over its cardinality (<see cref="OneHot"/>: a linear model needs a weight per
/// category). The exported graph builds the same vector from the <c>numeric</c> and <c>categorical</c> inputs.
/// </summary>
internal enum TableFeatureLayout
{
    Ordinal,
    OneHot,
}

internal static class TableFeatureVectors
{
    /// <summary>Length of a row's vector.</summary>
    public static int Width(TableInputs inputs, TableFeatureLayout layout) =>
        inputs.NumericFeatures + (layout == TableFeatureLayout.Ordinal ? inputs.Cardinalities.Count : inputs.Cardinalities.Sum());

    /// <summary>Each row of <paramref name="features"/> as the model's vector.</summary>
    public static float[][] Rows(TabularFeatures features, TableInputs inputs, TableFeatureLayout layout)
    {
        if (features.NumericWidth != inputs.NumericFeatures || features.CategoricalWidth != inputs.Cardinalities.Count)
            throw new ArgumentException(
                $"The model reads {inputs.NumericFeatures} numeric and {inputs.Cardinalities.Count} categorical inputs, but the preprocessing gives " +
                $"{features.NumericWidth} and {features.CategoricalWidth}.");
        var width = Width(inputs, layout);
        var rows = new float[features.Count][];
        for (var r = 0; r < features.Count; r++)
        {
            var row = rows[r] = new float[width];
            Array.Copy(features.Numeric, r * features.NumericWidth, row, 0, features.NumericWidth);
            var offset = features.NumericWidth;
            for (var k = 0; k < features.CategoricalWidth; k++)
            {
                var index = features.Categorical[r * features.CategoricalWidth + k];
                if (layout == TableFeatureLayout.Ordinal)
                {
                    row[offset++] = index;
                    continue;
                }
                // Indices come from the plan, always below the cardinality; the graph's OneHot gives zeros where one is not.
                if (index >= 0 && index < inputs.Cardinalities[k]) row[offset + index] = 1;
                offset += inputs.Cardinalities[k];
            }
        }
        return rows;
    }
}
