using AutoMLStudio.Core.Datasets;
using AutoMLStudio.Web.Api;
using AutoMLStudio.Web.Components.Pages.Datasets.Columns;
using AutoMLStudio.Web.Components.Pages.Datasets.DataQuality;
using AutoMLStudio.Web.Components.Pages.Datasets.Versions;
using AutoMLStudio.Web.Components.Pages.Labeling;
using AutoMLStudio.Web.Components.Shared;

namespace AutoMLStudio.Web.UiTests;

/// <summary>The dataset page's panels: quality report, versions, columns, and the labeling page's Suspect chip.</summary>
public sealed class DatasetPanelsTests : BunitTest
{
    private const string Hostile = "<script>alert(1)</script>";
    private static readonly DuplicateSection NoDuplicates = new(0, 0, 0, []);

    private static DatasetQualityDto Quality(
        IReadOnlyList<QualityWarning>? warnings = null, DuplicateSection? exact = null, ImageQuality? images = null, TabularQuality? tabular = null) =>
        new(0, [], null, [], warnings ?? [], DateTimeOffset.UtcNow, [], exact ?? NoDuplicates, NoDuplicates, images, tabular);

    [Fact]
    public void Skipped_list_says_how_many_more_were_skipped_than_it_lists()
    {
        var cut = Render<ImportIssuesList>(p => p
            .Add(c => c.Issues, [.. Enumerable.Range(1, 3).Select(i => new ImportIssue($"data.csv row {i}", "ragged"))])
            .Add(c => c.Total, 5_000));

        Assert.Equal(3, cut.FindAll("tr.import-issue").Count);
        Assert.Equal("…and 4,997 more", cut.Find(".import-issues-more").TextContent.Trim());
    }

    [Fact]
    public void Quality_view_shows_each_warning_with_what_to_do_in_its_severity()
    {
        var cut = Render<QualityReportView>(p => p.Add(c => c.DatasetId, Guid.NewGuid()).Add(c => c.Quality, Quality(
        [
            new QualityWarning("duplicate_label_conflict", QualitySeverity.Error, "Copies disagree.", "Give every copy the same label."),
            new QualityWarning("unlabeled_items", QualitySeverity.Info, "3 items have no label.", "Label them."),
        ])));

        var warnings = cut.FindAll(".quality-warning");
        Assert.Equal(2, warnings.Count);
        Assert.Equal("Copies disagree.", warnings[0].QuerySelector(".warning-message")!.TextContent);
        Assert.Contains("Give every copy the same label.", warnings[0].QuerySelector(".warning-action")!.TextContent);
        Assert.Contains("mud-alert-text-error", warnings[0].ClassName);
        Assert.Contains("mud-alert-text-info", warnings[1].ClassName);
        Assert.Contains("computed at", cut.Find(".quality-computed-at").TextContent);
    }

    [Fact]
    public void Quality_view_marks_conflicting_duplicate_groups_and_shows_thumbnails_for_images()
    {
        var datasetId = Guid.NewGuid();
        var same = new DuplicateGroup(false, [new(Guid.NewGuid(), "a.png", "cat"), new(Guid.NewGuid(), "b.png", "cat")]);
        var clash = new DuplicateGroup(true, [new(Guid.NewGuid(), "c.png", "cat"), new(Guid.NewGuid(), "d.png", null)]);
        var cut = Render<QualityReportView>(p => p.Add(c => c.DatasetId, datasetId).Add(c => c.Kind, DatasetKind.Image)
            .Add(c => c.Quality, Quality(exact: new DuplicateSection(2, 4, 1, [same, clash]))));

        var groups = cut.FindAll(".exact-duplicates .duplicate-group");
        Assert.Equal(2, groups.Count);
        Assert.DoesNotContain("conflicting", groups[0].ClassName);
        Assert.Contains("conflicting", groups[1].ClassName);
        Assert.Equal("Labels differ", groups[1].QuerySelector(".conflict-chip")!.TextContent);
        Assert.Equal(["c.png", "d.png"], groups[1].QuerySelectorAll(".member-name").Select(e => e.TextContent));
        Assert.Equal(["cat", "unlabeled"], groups[1].QuerySelectorAll(".member-label").Select(e => e.TextContent));
        Assert.Equal($"/api/v1/datasets/{datasetId}/items/{clash.Items[0].Id}/thumbnail", groups[1].QuerySelector("img")!.GetAttribute("src"));
        Assert.Empty(cut.FindAll(".near-duplicates"));
    }

    [Fact]
    public void Quality_view_draws_image_histograms_as_bars_scaled_to_the_largest_bin()
    {
        var images = new ImageQuality([new("≤64", 10), new("65–256", 5)], [new("1:1", 4)], [new("RGB", 4)]);
        var cut = Render<QualityReportView>(p => p.Add(c => c.DatasetId, Guid.NewGuid()).Add(c => c.Quality, Quality(images: images)));

        var bars = cut.FindAll(".histogram-sizes .count-bar");
        Assert.Equal(["width:100%", "width:50%"], bars.Select(b => b.GetAttribute("style")));
        Assert.Equal(["≤64", "65–256"], cut.FindAll(".histogram-sizes .bin-name").Select(e => e.TextContent));
        Assert.Single(cut.FindAll(".histogram-channels tr"));
        Assert.Empty(cut.FindAll(".tabular-quality"));
    }

    [Fact]
    public void Quality_view_lists_missing_values_constant_columns_and_leakage_for_tables()
    {
        var tabular = new TabularQuality([new("height", 2, 40, false), new("country", 0, 1, true)], [new("price_band", 0.98)]);
        var cut = Render<QualityReportView>(p => p.Add(c => c.DatasetId, Guid.NewGuid()).Add(c => c.Kind, DatasetKind.Tabular)
            .Add(c => c.Quality, Quality(tabular: tabular)));

        var rows = cut.FindAll(".quality-column");
        Assert.Equal("2", rows[0].QuerySelector(".column-missing")!.TextContent);
        Assert.Contains("constant", rows[1].ClassName);
        Assert.Contains("constant", rows[1].QuerySelector(".column-note")!.TextContent);
        Assert.Equal("price_band", cut.Find(".leakage-finding .leak-column").TextContent);
        Assert.Contains("98", cut.Find(".leakage-finding").TextContent);
        Assert.Empty(cut.FindAll(".image-histograms"));
    }

    [Fact]
    public void Quality_view_disables_recompute_and_shows_progress_while_waiting()
    {
        var cut = Render<QualityReportView>(p => p.Add(c => c.DatasetId, Guid.NewGuid()).Add(c => c.Quality, Quality())
            .Add(c => c.CanRecompute, true).Add(c => c.Waiting, true));

        Assert.NotNull(cut.Find(".quality-waiting"));
        Assert.True(cut.Find("button.recompute-quality").HasAttribute("disabled"));
    }

    [Fact]
    public void Versions_table_shows_split_counts_per_class_and_an_export_link()
    {
        var datasetId = Guid.NewGuid();
        var version = new DatasetVersionDto(Guid.NewGuid(), datasetId, 2, 42, 0.15, 0.15, 20,
            [new SplitCount("cat", 8, 1, 1), new SplitCount("dog", 7, 2, 1)], "first cut", DateTimeOffset.UtcNow, $"/api/v1/datasets/{datasetId}/versions/2/export");

        var cut = Render<VersionsTable>(p => p.Add(c => c.Versions, [version]));

        Assert.Equal("v2", cut.Find(".version-number").TextContent);
        Assert.Equal("20", cut.Find(".version-items").TextContent);
        Assert.Equal(["8 / 1 / 1", "7 / 2 / 1"], cut.FindAll(".split-numbers").Select(e => e.TextContent));
        Assert.Equal(version.ExportUrl, cut.Find("a.export-version").GetAttribute("href"));
        Assert.True(cut.Find("a.export-version").HasAttribute("download"));
    }

    [Fact]
    public void Version_form_refuses_a_fraction_over_one_half()
    {
        var model = new VersionFormModel { ValidationFraction = 0.6 };
        var cut = Render<CreateVersionForm>(p => p.Add(c => c.Model, model));

        Assert.False(model.IsValid);
        Assert.NotNull(model.ValidationError);
        Assert.True(cut.Find("button.create-version").HasAttribute("disabled"));
        model.ValidationFraction = 0.2;
        Assert.True(model.IsValid);
        Assert.Equal(0.2, model.ToRequest(Guid.NewGuid(), "u").ValidationFraction);
    }

    [Fact]
    public void Columns_panel_offers_numeric_only_for_number_columns_and_refuses_regression_on_text()
    {
        ColumnSpec[] columns =
        [
            new("height", ColumnTypes.Numeric, ColumnTypes.Numeric, 1, 30, true, false),
            new("species", ColumnTypes.Categorical, ColumnTypes.Categorical, 0, 3, false, false),
        ];
        Assert.Contains(ColumnTypes.Numeric, ColumnsPanel.TypesFor(columns[0]));
        Assert.DoesNotContain(ColumnTypes.Numeric, ColumnsPanel.TypesFor(columns[1]));

        var cut = Render<ColumnsPanel>(p => p.Add(c => c.Columns, columns).Add(c => c.LabelColumn, "species").Add(c => c.Task, DatasetTasks.Regression));

        Assert.Equal(["height", "species"], cut.FindAll(".column-name").Select(e => e.TextContent));
        Assert.Equal(["feature", "label"], cut.FindAll(".column-role").Select(e => e.TextContent));
        Assert.Equal("1", cut.Find(".column-missing").TextContent);
        Assert.Contains("not numbers", cut.Find(".schema-problem").TextContent);
        Assert.True(cut.Find("button.save-schema").HasAttribute("disabled"));
    }

    [Fact]
    public void Suspect_chip_shows_its_count_and_is_hidden_when_nothing_is_flagged()
    {
        var counts = new LabelCounts(5, 1, new Dictionary<string, int> { ["cat"] = 4 });
        var none = Render<LabelFilterChips>(p => p.Add(c => c.Counts, counts).Add(c => c.Labels, ["cat"]).Add(c => c.Current, LabelFilter.All));
        var some = Render<LabelFilterChips>(p => p.Add(c => c.Counts, counts).Add(c => c.Labels, ["cat"]).Add(c => c.Current, LabelFilter.All)
            .Add(c => c.Suspect, 2));

        Assert.Empty(none.FindAll(".filter-suspect"));
        Assert.Contains("Suspect · 2", some.Find(".filter-suspect").TextContent);
    }

    [Fact]
    public void File_names_labels_and_columns_with_markup_render_as_text()
    {
        var group = new DuplicateGroup(true, [new(Guid.NewGuid(), Hostile + ".png", Hostile)]);
        var quality = Quality([new QualityWarning("x", QualitySeverity.Warning, Hostile, Hostile)], new DuplicateSection(1, 1, 1, [group]),
            new ImageQuality([new(Hostile, 1)], [], []), new TabularQuality([new(Hostile, 0, 1, true)], [new(Hostile, 1)]));
        var report = Render<QualityReportView>(p => p.Add(c => c.DatasetId, Guid.NewGuid()).Add(c => c.Quality, quality));
        var version = new DatasetVersionDto(Guid.NewGuid(), Guid.NewGuid(), 1, 1, 0.15, 0.15, 1, [new SplitCount(Hostile, 1, 0, 0)], Hostile,
            DateTimeOffset.UtcNow, "/x");
        var versions = Render<VersionsTable>(p => p.Add(c => c.Versions, [version]));
        var columns = Render<ColumnsPanel>(p => p.Add(c => c.Columns, [new ColumnSpec(Hostile, "text", "text", 0, 1, false, false)])
            .Add(c => c.LabelColumn, Hostile).Add(c => c.Task, DatasetTasks.Classification));

        Assert.Empty(report.FindAll("script"));
        Assert.Empty(versions.FindAll("script"));
        Assert.Empty(columns.FindAll("script"));
        Assert.Equal(Hostile + ".png", report.Find(".member-name").TextContent);
        Assert.Equal(Hostile, report.Find(".member-label").TextContent);
        Assert.Equal(Hostile, report.Find(".warning-message").TextContent);
        Assert.Equal(Hostile, versions.Find(".split-label").TextContent);
        Assert.Equal(Hostile, columns.Find(".column-name").TextContent);
    }
}
