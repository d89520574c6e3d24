using AutoMLStudio.Engine.Search;

namespace AutoMLStudio.Engine.Analysis;

/// <summary>
/// Where a value lies along its dimension, from 0 to 1: the scale a chart axis draws and the surrogate model of
/// <see cref="HyperparameterImportance"/> learns on, so both read a dimension the same way.
/// </summary>
public static class ParameterScale
{
    /// <summary>
    /// A number's position between the dimension's <see cref="NumericDimension.Min"/> and <see cref="NumericDimension.Max"/>
    /// (on a log scale for log dimensions), clamped to [0, 1]; a categorical choice's place among the choices, first at 0
    /// and last at 1. A dimension with a single value, or a value it does not know, sits at 0.5.
    /// </summary>
    public static double Position(ParameterDimension dimension, object value)
    {
        ArgumentNullException.ThrowIfNull(dimension);
        switch (dimension)
        {
            case CategoricalDimension categorical:
                var index = value is string choice ? categorical.IndexOf(choice) : -1;
                return index < 0 || categorical.Choices.Count == 1 ? 0.5 : (double)index / (categorical.Choices.Count - 1);
            case NumericDimension numeric when value is double number && double.IsFinite(number) && numeric.Max > numeric.Min:
                var (low, high, x) = numeric.Log
                    ? (Math.Log(numeric.Min), Math.Log(numeric.Max), Math.Log(Math.Max(number, numeric.Min)))
                    : (numeric.Min, numeric.Max, number);
                return Math.Clamp((x - low) / (high - low), 0, 1);
            default:
                return 0.5;
        }
    }

    /// <summary>The number at <paramref name="position"/> (0 to 1) of a numeric dimension: the inverse of <see cref="Position"/>.</summary>
    public static double ValueAt(NumericDimension dimension, double position)
    {
        ArgumentNullException.ThrowIfNull(dimension);
        var p = Math.Clamp(position, 0, 1);
        return dimension.Log
            ? Math.Exp(Math.Log(dimension.Min) + p * (Math.Log(dimension.Max) - Math.Log(dimension.Min)))
            : dimension.Min + p * (dimension.Max - dimension.Min);
    }
}
