using Microsoft.AspNetCore.Components;

namespace AutoMLStudio.Web.Components.Shared;

/// <summary>
/// A chart drawn as one &lt;svg&gt; beside a <see cref="ChartPngButton"/>. The button is rendered with the svg's reference in
/// the same pass that creates the svg, before Blazor has captured it; a chart that is then never rendered again (the page
/// of a finished search) would leave the button with an empty reference. One more render once the svg exists hands it over.
/// </summary>
public abstract class SvgChart : ComponentBase
{
    private string? _handedOver;

    /// <summary>The chart's &lt;svg&gt;, for <c>@ref</c> and the PNG button.</summary>
    protected ElementReference ChartElement { get; set; }

    protected override void OnAfterRender(bool firstRender)
    {
        if (ChartElement.Id == _handedOver) return;
        _handedOver = ChartElement.Id;
        StateHasChanged();
    }
}
