using AutoMLStudio.Core;
using AutoMLStudio.Core.Searches;
using AutoMLStudio.Web.Components.Pages.Searches.Mistakes;
using Microsoft.AspNetCore.Components.Web;

namespace AutoMLStudio.Web.UiTests;

/// <summary>The gallery of a search's test mistakes, fed pages as the search page's loader returns them.</summary>
public sealed class MistakesGalleryTests : BunitTest
{
    private static readonly Guid SearchId = Guid.NewGuid();
    private static readonly Guid DatasetId = Guid.NewGuid();

    private static MisclassifiedExample Image(string truth, string predicted, double confidence, string? now = null) =>
        new(Guid.NewGuid(), DatasetId, truth, predicted, confidence, 0.05, now ?? truth, new MisclassifiedItem($"{truth}.png", true, null));

    private IRenderedComponent<MistakesGallery> RenderGallery(Func<int, int, CancellationToken, Task<MisclassifiedPage>> load,
        SearchTask task = SearchTasks.ImageClassification, bool canFix = true) =>
        Render<MistakesGallery>(p => p.Add(c => c.SearchId, SearchId).Add(c => c.SearchTask, task).Add(c => c.Load, load).Add(c => c.CanFix, canFix));

    [Fact]
    public void Labels_render_as_text_and_each_card_shows_truth_prediction_and_confidence_as_a_percentage()
    {
        const string hostile = "<script>alert(1)</script>";
        MisclassifiedExample[] mistakes = [Image(hostile, "<b>dog</b>", 0.93124), Image("cat", "dog", 0.5, now: "dog")];
        var cut = RenderGallery((_, _, _) => Task.FromResult(new MisclassifiedPage(2, 40, mistakes)));

        Assert.Empty(cut.FindAll("script"));
        Assert.Empty(cut.FindAll(".mistake-card b b"));
        Assert.Contains("&lt;script&gt;", cut.Markup);
        var cards = cut.FindAll(".mistake-card");
        Assert.Equal(2, cards.Count);
        Assert.Equal(hostile, cards[0].QuerySelector(".mistake-true b")!.TextContent);
        Assert.Equal("<b>dog</b>", cards[0].QuerySelector(".mistake-predicted b")!.TextContent);
        Assert.Equal("93.1%", cards[0].QuerySelector(".confidence-value")!.TextContent);
        Assert.Contains("width: 93.1%", cards[0].QuerySelector(".confidence-bar span")!.GetAttribute("style"));
        Assert.Equal("50.0%", cards[1].QuerySelector(".confidence-value")!.TextContent);
        Assert.Null(cards[0].QuerySelector(".mistake-now")); // not relabelled since
        Assert.Equal("dog", cards[1].QuerySelector(".mistake-now b")!.TextContent);
        Assert.Equal($"/api/v1/datasets/{DatasetId}/items/{mistakes[0].ItemId}/thumbnail", cards[0].QuerySelector("img.mistake-thumb")!.GetAttribute("src"));
        var fix = cards[0].QuerySelector("a.fix-label")!;
        Assert.Equal($"/datasets/{DatasetId}/label?item={mistakes[0].ItemId}&search={SearchId}", fix.GetAttribute("href"));
        Assert.Contains("Fix label", fix.TextContent);
        Assert.Contains("2 of 40 test images misclassified", cut.Find(".mistakes-summary").TextContent);
    }

    [Fact]
    public void A_search_without_mistakes_says_so_and_one_without_predictions_says_why()
    {
        var perfect = RenderGallery((_, _, _) => Task.FromResult(new MisclassifiedPage(0, 12, [])));
        Assert.Contains("all 12 test images right", perfect.Find(".mistakes-empty").TextContent);
        Assert.Empty(perfect.FindAll(".mistake-card"));

        var old = RenderGallery((_, _, _) => throw new UserInputException("No test predictions", "This search completed before the studio kept them.", 404));
        Assert.Equal("This search completed before the studio kept them.", old.Find(".mistakes-unavailable").TextContent.Trim());
        Assert.Empty(old.FindAll(".mistake-card"));
    }

    [Fact]
    public void Rows_show_a_snippet_instead_of_a_thumbnail_and_viewers_get_a_link_to_look_rather_than_fix()
    {
        var row = new MisclassifiedExample(Guid.NewGuid(), DatasetId, "cold", "warm", 0.7, 0.2, "cold", new MisclassifiedItem("row 3", false, "colour: <i>red</i>"));
        var deleted = new MisclassifiedExample(Guid.NewGuid(), DatasetId, "warm", "cold", 0.6, 0.3, null, null);
        var cut = RenderGallery((_, _, _) => Task.FromResult(new MisclassifiedPage(2, 9, [row, deleted])), SearchTasks.TabularClassification, canFix: false);

        var cards = cut.FindAll(".mistake-card");
        Assert.Null(cards[0].QuerySelector("img"));
        Assert.Equal("colour: <i>red</i>", cards[0].QuerySelector(".mistake-snippet")!.TextContent);
        Assert.Contains("View item", cards[0].QuerySelector("a.fix-label")!.TextContent);
        Assert.NotNull(cards[1].QuerySelector(".mistake-deleted"));
        Assert.Null(cards[1].QuerySelector("a.fix-label")); // nothing to open
        Assert.Contains("2 of 9 test rows misclassified", cut.Find(".mistakes-summary").TextContent);
    }

    [Fact]
    public async Task The_pager_asks_for_the_next_page_by_offset()
    {
        var asked = new List<(int Offset, int Limit)>();
        var cut = RenderGallery((offset, limit, _) =>
        {
            asked.Add((offset, limit));
            return Task.FromResult(new MisclassifiedPage(30, 100, [.. Enumerable.Range(0, Math.Min(limit, 30 - offset)).Select(i => Image("cat", "dog", 0.9 - (offset + i) * 0.01))]));
        });

        Assert.Equal(12, cut.FindAll(".mistake-card").Count);
        await cut.FindAll(".mistakes-pager button").Single(b => b.TextContent.Trim() == "3").ClickAsync(new MouseEventArgs());

        Assert.Equal([(0, 12), (24, 12)], asked);
        cut.WaitForAssertion(() => Assert.Equal(6, cut.FindAll(".mistake-card").Count));
        Assert.Equal("66.0%", cut.FindAll(".confidence-value")[0].TextContent);
    }
}
