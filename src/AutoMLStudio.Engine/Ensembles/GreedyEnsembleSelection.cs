namespace AutoMLStudio.Engine.Ensembles;

/// <summary>The outcome of ensemble selection.</summary>
/// <param name="Weights">One weight per model of the library (0 for those left out); they sum to 1.</param>
/// <param name="Score">The weighted average's score on the validation split.</param>
/// <param name="BestSingle">The index of the best single model of the library, and its score.</param>
/// <param name="Rounds">The rounds of the chosen ensemble: each weight is a count of picks divided by it.</param>
public sealed record EnsembleSelection(IReadOnlyList<double> Weights, EnsembleScore Score, (int Index, EnsembleScore Score) BestSingle, int Rounds)
{
    /// <summary>The indexes of the models with a weight above 0.</summary>
    public IReadOnlyList<int> Members => [.. Weights.Select((w, i) => (w, i)).Where(p => p.w > 0).Select(p => p.i)];
}

/// <summary>
/// Greedy forward selection with replacement (Caruana et al., "Ensemble Selection from Libraries of Models", 2004), as
/// AutoGluon and auto-sklearn build their ensembles: start empty, in each round add the model whose inclusion most improves
/// the validation score of the averaged predictions (a model may be added again, which raises its weight), and keep the best
/// round's ensemble. Weights are picks divided by rounds, so they sum to 1.
/// </summary>
public static class GreedyEnsembleSelection
{
    /// <summary>Rounds AutoGluon's default runs; more rarely changes the ensemble, and each round scores every model once.</summary>
    public const int DefaultRounds = 25;

    /// <summary>Selects weights over <paramref name="library"/> (each model's predictions on the same validation examples).</summary>
    /// <exception cref="ArgumentException">An empty library, or models that predict different numbers of examples.</exception>
    public static EnsembleSelection Select(IReadOnlyList<ModelPredictions> library, EnsembleScoring scoring, int rounds = DefaultRounds)
    {
        ArgumentNullException.ThrowIfNull(library);
        ArgumentNullException.ThrowIfNull(scoring);
        if (library.Count == 0) throw new ArgumentException("Ensemble selection needs at least one model.", nameof(library));
        var count = library[0].Count;
        if (library.Any(m => m.Count != count)) throw new ArgumentException("Every model must predict the same examples.", nameof(library));
        var classification = library[0].Probabilities is not null;
        var classes = classification ? library[0].Probabilities!.FirstOrDefault()?.Length ?? 0 : 0;

        var probabilitySums = classification ? Enumerable.Range(0, count).Select(_ => new double[classes]).ToArray() : null;
        var valueSums = classification ? null : new double[count];
        var picks = new int[library.Count];
        int[]? bestPicks = null;
        var bestRounds = 0;
        EnsembleScore best = default;
        (int, EnsembleScore)? bestSingle = null;

        for (var round = 1; round <= Math.Max(1, rounds); round++)
        {
            var chosen = -1;
            EnsembleScore chosenScore = default;
            for (var m = 0; m < library.Count; m++)
            {
                Add(library[m], probabilitySums, valueSums, +1);
                var score = scoring.Score(probabilitySums, valueSums, round);
                Add(library[m], probabilitySums, valueSums, -1);
                if (chosen < 0 || scoring.IsBetter(score, chosenScore)) (chosen, chosenScore) = (m, score);
            }
            Add(library[chosen], probabilitySums, valueSums, +1);
            picks[chosen]++;
            bestSingle ??= (chosen, chosenScore);
            if (bestPicks is null || scoring.IsBetter(chosenScore, best))
                (bestPicks, bestRounds, best) = ([.. picks], round, chosenScore);
        }
        return new EnsembleSelection([.. bestPicks!.Select(p => (double)p / bestRounds)], best, bestSingle!.Value, bestRounds);
    }

    // Sums are doubles: adding and taking away a model's floats again leaves them as they were, to far below what the argmax
    // or the loss can see.
    private static void Add(ModelPredictions model, double[][]? probabilitySums, double[]? valueSums, int sign)
    {
        if (probabilitySums is not null)
        {
            for (var i = 0; i < probabilitySums.Length; i++)
            {
                var row = model.Probabilities![i];
                var sum = probabilitySums[i];
                for (var c = 0; c < sum.Length; c++) sum[c] += sign * row[c];
            }
            return;
        }
        for (var i = 0; i < valueSums!.Length; i++) valueSums[i] += sign * model.Values![i];
    }
}
