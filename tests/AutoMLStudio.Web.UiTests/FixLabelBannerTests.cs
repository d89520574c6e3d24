using AutoMLStudio.Web.Api;
using AutoMLStudio.Web.Components.Pages.Labeling;
using MudBlazor;

namespace AutoMLStudio.Web.UiTests;

/// <summary>The labeling page's banner when it opens on one item, as "Fix label" in a search's mistakes does.</summary>
public sealed class FixLabelBannerTests : BunitTest
{
    private const string Hostile = "<img src=x onerror=alert(1)>";
    private static readonly Guid SearchId = Guid.NewGuid();

    private IRenderedComponent<FixLabelBanner> RenderBanner(ItemDto? item, bool rows = false, bool readOnly = false, Action<string?>? onAssign = null) =>
        Render<FixLabelBanner>(p => p.Add(c => c.Item, item).Add(c => c.Rows, rows).Add(c => c.Labels, ["cat", Hostile]).Add(c => c.ReadOnly, readOnly)
            .Add(c => c.AllItemsHref, "/datasets/d/label").Add(c => c.SearchId, SearchId).Add(c => c.OnAssign, onAssign ?? (_ => { })));

    [Fact]
    public async Task The_item_its_label_and_a_choice_of_the_right_label_show_and_the_choice_is_handed_on()
    {
        string? assigned = "unset";
        var item = new ItemDto(Guid.NewGuid(), Hostile, Hostile + ".png", 16, 16, "/thumb", 1, null, null);
        var cut = RenderBanner(item, onAssign: label => assigned = label);

        Assert.Empty(cut.FindAll(".fix-label-banner img"));
        Assert.Equal(Hostile + ".png", cut.Find(".fix-item-name").TextContent);
        Assert.Equal(Hostile, cut.Find(".fix-item-label").TextContent);
        Assert.Equal($"/searches/{SearchId}", cut.Find("a.back-to-search").GetAttribute("href"));
        Assert.Equal("/datasets/d/label", cut.Find("a.show-all-items").GetAttribute("href"));

        await cut.InvokeAsync(() => cut.FindComponent<MudSelect<string>>().Instance.ValueChanged.InvokeAsync("cat"));
        Assert.Equal("cat", assigned);
    }

    [Fact]
    public void Viewers_rows_and_deleted_items_get_no_label_choice_and_are_told_where_to_look()
    {
        var item = new ItemDto(Guid.NewGuid(), "cat", "a.png", 16, 16, "/thumb", 1, null, null);
        Assert.Empty(RenderBanner(item, readOnly: true).FindComponents<MudSelect<string>>());

        var rows = RenderBanner(null, rows: true);
        Assert.Contains("choose its label in the table", rows.Find(".fix-label-banner").TextContent);
        Assert.Empty(rows.FindComponents<MudSelect<string>>());

        Assert.Contains("not in this dataset any more", RenderBanner(null).Find(".fix-label-banner").TextContent);
    }
}
