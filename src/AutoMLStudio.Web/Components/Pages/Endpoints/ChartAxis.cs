namespace AutoMLStudio.Web.Components.Pages.Endpoints;

/// <summary>Round tick values for a y axis starting at zero: 1, 2 or 5 times a power of ten apart, the top tick at or above the data.</summary>
public static class ChartAxis
{
    public static IReadOnlyList<double> Ticks(double max, bool whole)
    {
        if (!double.IsFinite(max) || max <= 0) max = 1;
        var step = NiceStep(max / 4);
        // Counts of requests have no halves: a step under one would label the axis 0.5, 1.5...
        if (whole) step = Math.Max(1, step);
        var top = Math.Ceiling(max / step - 1e-9) * step;
        var ticks = new List<double>();
        for (var i = 0; i * step <= top + step / 2; i++) ticks.Add(Math.Round(i * step, 9));
        return ticks;
    }

    private static double NiceStep(double rough)
    {
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        foreach (var factor in new[] { 1.0, 2, 5 })
            if (factor * magnitude >= rough - 1e-12) return factor * magnitude;
        return 10 * magnitude;
    }
}
