using System.Text.Json;
using System.Text.Json.Serialization;

namespace AutoMLStudio.Engine.Training;

/// <summary>What a tabular or text model predicts; written in JSON as "classification" or "regression".</summary>
[JsonConverter(typeof(PredictionTaskJsonConverter))]
public enum PredictionTask
{
    /// <summary>One of several classes; cross-entropy on logits.</summary>
    Classification,

    /// <summary>One number; mean squared error on the standardised target.</summary>
    Regression,
}

/// <summary>Writes <see cref="PredictionTask"/> as the lower-case words the studio's JSON uses.</summary>
public sealed class PredictionTaskJsonConverter() : JsonStringEnumConverter<PredictionTask>(JsonNamingPolicy.CamelCase);

/// <summary>The targets of a set of examples: class indices for classification, numbers for regression.</summary>
public sealed class SupervisedTargets
{
    private SupervisedTargets(PredictionTask task, int[] labels, double[] values, int classCount)
    {
        Task = task;
        Labels = labels;
        Values = values;
        ClassCount = classCount;
    }

    /// <summary>Classification targets: each label in 0..<paramref name="classCount"/>-1.</summary>
    /// <exception cref="ArgumentException">Fewer than two classes, or a label out of range.</exception>
    public static SupervisedTargets Classes(int[] labels, int classCount)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (classCount < 2) throw new ArgumentException("Classification needs at least two classes.", nameof(classCount));
        if (labels.Any(l => l < 0 || l >= classCount))
            throw new ArgumentException($"A label lies outside 0..{classCount - 1}.", nameof(labels));
        return new SupervisedTargets(PredictionTask.Classification, labels, [], classCount);
    }

    /// <summary>Regression targets.</summary>
    /// <exception cref="ArgumentException">A value is NaN or infinite.</exception>
    public static SupervisedTargets Numbers(double[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (!values.All(double.IsFinite)) throw new ArgumentException("Regression targets must be finite numbers.", nameof(values));
        return new SupervisedTargets(PredictionTask.Regression, [], values, 0);
    }

    /// <summary>Classification or regression.</summary>
    public PredictionTask Task { get; }

    /// <summary>Class indices (classification; empty otherwise).</summary>
    public int[] Labels { get; }

    /// <summary>Target values (regression; empty otherwise).</summary>
    public double[] Values { get; }

    /// <summary>Number of classes (0 for regression).</summary>
    public int ClassCount { get; }

    /// <summary>Number of examples.</summary>
    public int Count => Task == PredictionTask.Classification ? Labels.Length : Values.Length;
}
