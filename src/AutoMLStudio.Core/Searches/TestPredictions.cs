using System.Text.Json;
using AutoMLStudio.Core.Storage;

namespace AutoMLStudio.Core.Searches;

/// <summary>The best model's answer for one test example; classes are indices into <see cref="TestPredictions.Classes"/>.</summary>
/// <param name="Confidence">The probability the model gave the class it predicted.</param>
/// <param name="TrueClassProbability">The probability it gave the true class.</param>
public sealed record TestPrediction(Guid ItemId, int TrueClass, int PredictedClass, float Confidence, float TrueClassProbability)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsMistake => TrueClass != PredictedClass;
}

/// <summary>
/// Every test example's prediction by a completed classification search's final model, in test order: what the gallery of
/// mistakes reads. Kept as one JSON file beside the search rather than rows, because it is written once, read whole, and
/// about 100 bytes an example (2 MB for a 20,000-image test split).
/// </summary>
public sealed record TestPredictions(IReadOnlyList<string> Classes, IReadOnlyList<TestPrediction> Predictions)
{
    /// <summary>
    /// The predictions from the test evaluation's softmax <paramref name="probabilities"/>; the predicted class is the most
    /// probable one, as in the confusion matrix. Null when the items are unknown (data prepared before item ids were kept).
    /// </summary>
    public static TestPredictions? From(IReadOnlyList<string> classes, IReadOnlyList<Guid>? itemIds, IReadOnlyList<int> trueClasses,
        IReadOnlyList<float[]>? probabilities)
    {
        if (itemIds is null || probabilities is null || itemIds.Count != trueClasses.Count || probabilities.Count != trueClasses.Count)
            return null;
        var predictions = new TestPrediction[trueClasses.Count];
        for (var n = 0; n < predictions.Length; n++)
        {
            var p = probabilities[n];
            var predicted = 0;
            for (var c = 1; c < p.Length; c++)
                if (p[c] > p[predicted]) predicted = c;
            predictions[n] = new TestPrediction(itemIds[n], trueClasses[n], predicted, p[predicted], p[trueClasses[n]]);
        }
        return new TestPredictions(classes, predictions);
    }
}

/// <summary>Writes a search's <see cref="TestPredictions"/> atomically and reads them back; a search without the file has none.</summary>
public sealed class TestPredictionStore(IArtifactStore store)
{
    public Task WriteAsync(Guid searchId, TestPredictions predictions, CancellationToken ct) =>
        AtomicFile.WriteAsync(store.FullPath(ArtifactPaths.TestPredictions(searchId)),
            stream => JsonSerializer.SerializeAsync(stream, predictions, JsonSerializerOptions.Web, ct), ct);

    public async Task<TestPredictions?> ReadAsync(Guid searchId, CancellationToken ct)
    {
        var path = store.FullPath(ArtifactPaths.TestPredictions(searchId));
        if (!File.Exists(path)) return null;
        await using var stream = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<TestPredictions>(stream, JsonSerializerOptions.Web, ct);
    }
}
