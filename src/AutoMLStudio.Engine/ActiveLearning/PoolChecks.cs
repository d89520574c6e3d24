namespace AutoMLStudio.Engine.ActiveLearning;

/// <summary>
/// Validation of a <see cref="LabelingRequest"/>. The pool comes from a model and a database, so a diverged model's NaN
/// or a stale embedding list is met with an error that names the item, never with an order that silently means nothing.
/// </summary>
internal static class PoolChecks
{
    /// <summary>The probabilities divided by their sums, or null for <c>random</c>, which reads only their count.</summary>
    public static double[][]? Probabilities(LabelingRequest request)
    {
        if (request.Probabilities is null) throw new ArgumentException("The pool's probabilities are required (one array per item).", nameof(request));
        if (!LabelingQueue.Strategies.Contains(request.Strategy))
            throw new ArgumentException($"Unknown labeling strategy '{request.Strategy}'. Valid strategies: {string.Join(", ", LabelingQueue.Strategies)}.", nameof(request));
        if (request.BatchSize < 0) throw new ArgumentException($"The batch size must not be negative (got {request.BatchSize}).", nameof(request));
        if (!double.IsFinite(request.DiversityWeight) || request.DiversityWeight < 0)
            throw new ArgumentException($"The diversity weight must be a finite number of 0 or more (got {request.DiversityWeight}).", nameof(request));
        if (request.Strategy == LabelingQueue.Random) return null;

        var items = request.Probabilities;
        var classes = items.Count > 0 ? items[0]?.Length ?? 0 : 0;
        var normalized = new double[items.Count][];
        for (var i = 0; i < items.Count; i++)
        {
            var p = items[i] ?? throw new ArgumentException($"Item {i} has no probabilities.", nameof(request));
            if (p.Length != classes)
                throw new ArgumentException($"Item {i} has {p.Length} class probabilities but item 0 has {classes}.", nameof(request));
            if (classes < 2) throw new ArgumentException($"Items need probabilities for at least 2 classes (got {classes}).", nameof(request));
            double sum = 0;
            foreach (var v in p)
            {
                if (!float.IsFinite(v) || v < 0)
                    throw new ArgumentException($"Item {i} has a probability of {v}; the model that scored the pool may have diverged.", nameof(request));
                sum += v;
            }
            if (sum <= 0) throw new ArgumentException($"Item {i}'s probabilities are all zero.", nameof(request));
            normalized[i] = Array.ConvertAll(p, v => v / sum);
        }
        return normalized;
    }

    /// <summary>The request's embeddings once checked against the pool, or null when it has none.</summary>
    public static IReadOnlyList<float[]>? Embeddings(LabelingRequest request)
    {
        var items = request.Embeddings;
        if (items is null) return null;
        if (items.Count != request.Probabilities.Count)
            throw new ArgumentException($"There are {items.Count} embeddings for {request.Probabilities.Count} items.", nameof(request));
        var width = items.Count > 0 ? items[0]?.Length ?? 0 : 0;
        for (var i = 0; i < items.Count; i++)
        {
            var e = items[i] ?? throw new ArgumentException($"Item {i} has no embedding.", nameof(request));
            if (e.Length != width || width == 0)
                throw new ArgumentException($"Item {i}'s embedding has {e.Length} values but item 0's has {width} (and at least 1 is needed).", nameof(request));
            if (e.Any(v => !float.IsFinite(v)))
                throw new ArgumentException($"Item {i}'s embedding holds a value that is not a finite number.", nameof(request));
        }
        return items;
    }

    /// <summary>The class names, checked against the class count, or null.</summary>
    public static IReadOnlyList<string>? ClassNames(LabelingRequest request, double[][]? probabilities)
    {
        if (request.ClassNames is null || probabilities is not { Length: > 0 }) return request.ClassNames;
        if (request.ClassNames.Count != probabilities[0].Length)
            throw new ArgumentException($"There are {request.ClassNames.Count} class names for {probabilities[0].Length} classes.", nameof(request));
        return request.ClassNames;
    }
}
