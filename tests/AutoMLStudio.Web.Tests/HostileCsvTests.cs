using System.Net;
using System.Text;
using AutoMLStudio.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AutoMLStudio.Web.Tests;

/// <summary>Awkward and hostile CSV files: each gets a clear answer, bad rows are skipped and reported, and nothing is left behind.</summary>
[Collection(StudioCollection.Name)]
public sealed class HostileCsvTests(StudioApp app)
{
    [Fact]
    public async Task Byte_order_mark_is_not_part_of_the_first_column_name()
    {
        var csv = Encoding.UTF8.GetPreamble().Concat("label,x\na,1\nb,2\n"u8.ToArray()).ToArray();

        var dataset = await app.Api().ImportFileAsync(csv, "bom.csv", "bom", new Dictionary<string, string> { ["labelColumn"] = "label" });

        Assert.Equal("ready", dataset.GetProperty("status").GetString());
        Assert.Equal("label", dataset.GetProperty("labelColumn").GetString());
        Assert.Equal(new Dictionary<string, int> { ["a"] = 1, ["b"] = 1 }, dataset.Classes());
    }

    [Fact]
    public async Task Latin1_file_is_read_as_latin1_so_cafe_keeps_its_accent()
    {
        var csv = Encoding.Latin1.GetBytes("drink,size\ncafé,1\nthé,2\ncafé,3\n");

        var dataset = await app.Api().ImportFileAsync(csv, "latin1.csv", "latin1", new Dictionary<string, string> { ["labelColumn"] = "drink" });

        Assert.Equal(new Dictionary<string, int> { ["café"] = 2, ["thé"] = 1 }, dataset.Classes());
    }

    [Fact]
    public async Task Quoted_newline_stays_inside_its_field()
    {
        var csv = "text,label\n\"first line\nsecond line\",a\n\"say \"\"hi\"\"\",b\n";

        var dataset = await app.Api().ImportFileAsync(Encoding.UTF8.GetBytes(csv), "quoted.csv", "quoted");

        Assert.Equal("text", dataset.GetProperty("kind").GetString());
        Assert.Equal(2, dataset.GetProperty("itemCount").GetInt32());
        Assert.Empty(dataset.Skipped());
        var texts = await Texts(dataset.GetProperty("id").GetGuid());
        Assert.Contains("first line\nsecond line", texts);
        Assert.Contains("say \"hi\"", texts);
    }

    [Fact]
    public async Task Ragged_row_is_skipped_and_reported_with_its_row_number_while_the_rest_imports()
    {
        var csv = "a,b,label\n1,2,x\n3,y\n4,5,y\n6,7,8,z\n";

        var dataset = await app.Api().ImportFileAsync(Encoding.UTF8.GetBytes(csv), "ragged.csv", "ragged");

        Assert.Equal("ready", dataset.GetProperty("status").GetString());
        Assert.Equal(2, dataset.GetProperty("itemCount").GetInt32());
        var skipped = dataset.Skipped();
        Assert.Equal(2, skipped.Count);
        Assert.Contains(skipped, s => s.File.Contains("row 2") && s.Reason.Contains("2 field(s) where the header has 3"));
        Assert.Contains(skipped, s => s.File.Contains("row 4") && s.Reason.Contains("4 field(s)"));
    }

    [Fact]
    public async Task Thousands_of_ragged_rows_keep_the_first_thousand_reasons_and_report_the_total()
    {
        var csv = new StringBuilder("a,b,label\n");
        for (var i = 0; i < 5_000; i++) csv.Append(i).Append(",ragged\n");
        for (var i = 0; i < 20; i++) csv.Append(i).Append(',').Append(i * 2).Append(',').Append(i % 2 == 0 ? "x" : "y").Append('\n');

        var dataset = await app.Api().ImportFileAsync(Encoding.UTF8.GetBytes(csv.ToString()), "ragged-many.csv", "many ragged",
            new Dictionary<string, string> { ["labelColumn"] = "label" });

        Assert.Equal("ready", dataset.GetProperty("status").GetString());
        Assert.Equal(20, dataset.GetProperty("itemCount").GetInt32());
        Assert.Equal(5_000, dataset.GetProperty("quality").GetProperty("skippedFiles").GetInt32());
        var listed = dataset.Skipped();
        Assert.InRange(listed.Count, 1, 1_000);
        Assert.Contains("row 1 ", listed[0].File);
        await using var scope = app.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<StudioDbContext>().Datasets
            .Where(d => d.Id == dataset.GetProperty("id").GetGuid()).Select(d => d.ImportIssues).SingleAsync();
        var reasons = stored;
        Assert.Equal(1_000, reasons.Count);
        Assert.Contains("row 1000 ", reasons[^1].File);
    }

    [Fact]
    public async Task Row_with_a_10_MB_field_is_skipped_and_reported()
    {
        var csv = new StringBuilder("note,label\nshort,a\n\"").Append('x', 10 * 1024 * 1024).Append("\",b\nalso short,c\n");

        var dataset = await app.Api().ImportFileAsync(Encoding.UTF8.GetBytes(csv.ToString()), "huge.csv", "huge field",
            new Dictionary<string, string> { ["labelColumn"] = "label" });

        Assert.Equal("ready", dataset.GetProperty("status").GetString());
        Assert.Equal(new Dictionary<string, int> { ["a"] = 1, ["c"] = 1 }, dataset.Classes());
        var skipped = Assert.Single(dataset.Skipped());
        Assert.Contains("row 2", skipped.File);
        Assert.Contains("longer than the limit", skipped.Reason);
    }

    [Fact]
    public async Task Missing_label_column_is_refused_listing_the_columns_there_are()
    {
        var api = app.Api();
        var name = $"no label {Guid.NewGuid():N}";

        var response = await api.UploadFilesAsync([("height,weight\n1,2\n"u8.ToArray(), "t.csv")], name,
            new Dictionary<string, string> { ["labelColumn"] = "species" });

        var problem = await response.JsonAsync(HttpStatusCode.BadRequest);
        problem.AssertProblem(400, "Label column not found");
        Assert.Contains("height, weight", problem.GetProperty("detail").GetString());
        var datasets = await api.GetJsonAsync("/api/v1/datasets");
        Assert.DoesNotContain(datasets.EnumerateArray(), d => d.GetProperty("name").GetString() == name);
    }

    [Fact]
    public async Task Cancel_stops_a_running_import_and_leaves_nothing_behind()
    {
        var csv = new StringBuilder("a,b,label\n");
        for (var i = 0; i < 400_000; i++) csv.Append(i).Append(',').Append(i % 97).Append(",c").Append(i % 3).Append('\n');
        var api = app.Api();
        var accepted = await (await api.UploadFilesAsync([(Encoding.UTF8.GetBytes(csv.ToString()), "big.csv")], "to cancel")).JsonAsync(HttpStatusCode.Accepted);
        var id = accepted.GetProperty("id").GetGuid();
        await api.WaitForAsync($"/api/v1/datasets/{id}", d => d.GetProperty("importProgress").GetDouble() > 0, TimeSpan.FromSeconds(60));

        await (await api.PostAsync($"/api/v1/datasets/{id}/cancel", null)).JsonAsync(HttpStatusCode.Accepted);

        var dataset = await api.WaitForAsync($"/api/v1/datasets/{id}", d => d.GetProperty("status").GetString() != "importing", TimeSpan.FromSeconds(60));
        Assert.Equal("failed", dataset.GetProperty("status").GetString());
        Assert.StartsWith("Cancelled by", dataset.GetProperty("error").GetString());
        await using (var scope = app.Services.CreateAsyncScope())
            Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<StudioDbContext>().DatasetItems.CountAsync(i => i.DatasetId == id));
        Assert.False(File.Exists(Path.Combine(app.DataDir, "artifacts", "uploads", id.ToString("N") + ".upload")));
        Assert.False(Directory.Exists(Path.Combine(app.DataDir, "artifacts", "datasets", id.ToString("N"))));
        (await (await api.PostAsync($"/api/v1/datasets/{id}/cancel", null)).JsonAsync(HttpStatusCode.Conflict)).AssertProblem(409, "already finished");
    }

    private async Task<List<string?>> Texts(Guid datasetId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<StudioDbContext>().DatasetItems
            .Where(i => i.DatasetId == datasetId).Select(i => i.Text).ToListAsync();
    }
}
