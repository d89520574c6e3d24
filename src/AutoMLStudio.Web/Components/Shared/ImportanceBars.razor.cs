using AutoMLStudio.Core.Searches;
using System.Globalization;
using Microsoft.AspNetCore.Components;

namespace AutoMLStudio.Web.Components.Shared;

/// <summary>Each parameter's share of the variance of the metric over the completed trials (see <see cref="SearchSpaceView.Importance"/>), as sorted bars.</summary>
public partial class ImportanceBars
{
    private const int Width = 480, LabelWidth = 160, ValueWidth = 70, Row = 22, Pad = 6;
    private const int BarWidth = Width - LabelWidth - ValueWidth;
    // The long tail of a 20-odd dimension space is mostly near zero; the top bars answer the question, the rest are a click away.
    private const int TopBars = 12;

    private string? _estimating;
    private string? _shown;
    private ImportanceView? _estimate;
    private bool _showAll;

    /// <summary>The space the search explored; null when it is not known yet.</summary>
    [Parameter, EditorRequired] public SearchSpaceView? Space { get; set; }

    [Parameter, EditorRequired] public IReadOnlyList<TrialView> Trials { get; set; } = [];

    /// <summary>The search's metric, named in the explanation.</summary>
    [Parameter] public SearchMetric Metric { get; set; } = SearchMetric.Accuracy;

    /// <summary>The PNG download's file name.</summary>
    [Parameter] public string PngName { get; set; } = "hyperparameter-importance";

    private IReadOnlyList<SettingImportance> AllBars => _estimate?.Parameters ?? [];
    private IReadOnlyList<SettingImportance> Bars => _showAll ? AllBars : [.. AllBars.Take(TopBars)];
    private int Height => Pad * 2 + Bars.Count * Row;
    private int Dimensions => Space?.Axes.Count ?? 0;

    // The forest is fitted again only when the completed trials change (a few hundred milliseconds at 300 trials), off the
    // circuit's thread; epoch events re-render this component far more often.
    protected override async Task OnParametersSetAsync()
    {
        if (Space is not { } space) return;
        var points = Trials
            .Where(t => t.Status == "completed" && t.ValAccuracy is { } v && double.IsFinite(v) && t.Parameters is not null)
            .OrderBy(t => t.Number)
            .Select(t => (t.Number, Point: (Point: t.Parameters!, Metric: t.ValAccuracy!.Value)))
            .ToList();
        var key = string.Join(';', points.Select(p => FormattableString.Invariant($"{p.Number}:{p.Point.Metric:R}")));
        if (key == _estimating) return;
        _estimating = key;
        var estimate = await Task.Run(() => space.Importance(points.Select(p => p.Point)));
        // A newer set of trials may have arrived while this one was estimated; only the newest is shown.
        if (key != _estimating) return;
        (_estimate, _shown) = (estimate, key);
    }

    private bool Estimating => _estimating != _shown;

    private string Needs => $"Needs at least {SearchSpaceView.MinimumTrials} completed trials; {_estimate?.TrialCount ?? 0} so far.";

    private string HowToRead =>
        $"A long bar means changing this setting alone moved validation {Metric.DisplayName} most across the {_estimate?.TrialCount} trials tried; it describes this search, not a law.";

    private static double Y(int row) => Pad + row * Row;

    private static string Percent(double share) => share.ToString(share < 0.1 ? "0.0%" : "0%", CultureInfo.InvariantCulture);
}
