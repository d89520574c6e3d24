namespace AutoMLStudio.Core.Hosting;

/// <summary>One class's share of predictions against its share of the test split the model was evaluated on.</summary>
public sealed record ClassShare(string Name, long Predicted, double PredictedShare, double TrainingShare);

/// <summary>
/// Whether the classes an endpoint predicts have drifted from those it was trained and tested on, measured with the
/// population stability index: below 0.1 stable, 0.1 to 0.2 shifting, above 0.2 drifted (the usual reading). With
/// fewer than <see cref="MinPredictions"/> predictions the shares are too noisy to judge.
/// </summary>
public sealed record ClassDrift(IReadOnlyList<ClassShare> Classes, double? Psi, bool Alert, string Summary)
{
    public const int MinPredictions = 50;
    public const double AlertPsi = 0.2;

    /// <summary>Drift of a model's predictions against its card's test split (per-class support, or the confusion matrix's rows).</summary>
    public static ClassDrift For(Registry.ModelCard card, IReadOnlyDictionary<string, long> predicted) =>
        From(card.Classes, card.Metrics.TestPerClass?.Select(c => c.Support).ToList()
                           ?? card.Metrics.TestConfusionMatrix?.Select(row => row.Sum()).ToList() ?? [], predicted);

    /// <param name="support">Test examples per class, in <paramref name="classes"/> order.</param>
    public static ClassDrift From(IReadOnlyList<string> classes, IReadOnlyList<int> support, IReadOnlyDictionary<string, long> predicted)
    {
        var total = predicted.Values.Sum();
        var supportTotal = Math.Max(1, support.Sum());
        var shares = classes.Select((name, k) => new ClassShare(name, predicted.GetValueOrDefault(name),
            total == 0 ? 0 : (double)predicted.GetValueOrDefault(name) / total, k < support.Count ? (double)support[k] / supportTotal : 0)).ToList();
        if (total < MinPredictions)
            return new ClassDrift(shares, null, false, $"{total} prediction{(total == 1 ? "" : "s")} so far; drift is judged from {MinPredictions} on.");

        // A floor keeps a class that never occurs on one side from making the index infinite.
        const double floor = 1e-4;
        var psi = shares.Sum(s =>
        {
            double observed = Math.Max(s.PredictedShare, floor), expected = Math.Max(s.TrainingShare, floor);
            return (observed - expected) * Math.Log(observed / expected);
        });
        var alert = psi > AlertPsi;
        var most = shares.MaxBy(s => Math.Abs(s.PredictedShare - s.TrainingShare))!;
        var summary = alert
            ? $"Drift: the predicted classes differ from the test split's (PSI {psi:0.00} > {AlertPsi}). '{most.Name}' is {most.PredictedShare:P0} of predictions against {most.TrainingShare:P0} in testing: the inputs may have changed; check the low-confidence inputs and consider labeling them and searching again."
            : $"Stable: the predicted classes match the test split's (PSI {psi:0.00}).";
        return new ClassDrift(shares, psi, alert, summary);
    }
}
