using AutoMLStudio.Core.Datasets;
using AutoMLStudio.Web.Api;
using AutoMLStudio.Web.Components.Shared;

namespace AutoMLStudio.Web.UiTests;

/// <summary>Class names and file names come from uploaded zips: they are data and must never become markup.</summary>
public sealed class EscapingTests : BunitTest
{
    private const string Hostile = "<script>alert(1)</script>";

    [Fact]
    public void A_script_tag_label_renders_as_text_in_class_counts()
    {
        var cut = Render<ClassCounts>(p => p.Add(c => c.Classes, [(Hostile, 3)]));

        Assert.Empty(cut.FindAll("script"));
        Assert.Equal(Hostile, cut.Find(".class-name").TextContent);
    }

    [Fact]
    public void A_script_tag_label_renders_as_text_in_thumbnails_confusion_matrix_and_skipped_files()
    {
        var item = new ItemDto(Guid.NewGuid(), Hostile, Hostile + ".png", 16, 16, "/thumb", 1, null, null);
        var grid = Render<ThumbnailGrid>(p => p.Add(c => c.Items, [item]));
        var matrix = Render<ConfusionMatrixView>(p => p.Add(c => c.Classes, [Hostile, "ok"]).Add(c => c.Matrix, [[1, 0], [0, 1]]));
        var issues = Render<ImportIssuesList>(p => p.Add(c => c.Issues, [new ImportIssue(Hostile + "/bad.png", "not an image")]));

        Assert.Empty(grid.FindAll("script"));
        Assert.Empty(matrix.FindAll("script"));
        Assert.Empty(issues.FindAll("script"));
        Assert.Equal(Hostile, grid.Find(".thumbnail-label").TextContent);
        Assert.Equal(Hostile, matrix.Find("thead th.class-header").TextContent);
        Assert.Equal(Hostile + "/bad.png", issues.Find(".file-name").TextContent);
        Assert.Contains("&lt;script&gt;", grid.Markup);
    }
}
