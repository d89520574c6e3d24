using System.Globalization;
using AutoMLStudio.Core.Hosting;

namespace AutoMLStudio.Web.Components.Pages.Endpoints;

public static class TopClasses
{
    /// <summary>The <paramref name="count"/> likeliest classes, likeliest first; ties keep the model's class order.</summary>
    public static IReadOnlyList<(string Name, double Probability)> Of(Prediction prediction, int count = 3)
    {
        if (prediction.Scores is not { Count: > 0 } scores)
            return prediction.Label is { } label ? [(label, prediction.Score ?? 0)] : [];
        return [.. scores.Select((s, i) => (s.Key, s.Value, i)).OrderByDescending(s => s.Value).ThenBy(s => s.i).Take(count).Select(s => (s.Key, s.Value))];
    }

    /// <summary>A bar's CSS width: the probability as a share of the bar, clamped so rounding noise never overflows it.</summary>
    public static string Width(double probability) =>
        (double.IsFinite(probability) ? Math.Clamp(probability, 0, 1) * 100 : 0).ToString("0.#", CultureInfo.InvariantCulture) + "%";
}
