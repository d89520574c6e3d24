using System.Net;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Datasets;
using AutoMLStudio.Core.Searches;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AutoMLStudio.Web.Tests;

/// <summary>A team lead exports a search's trials to a spreadsheet: every trial a row, nothing a spreadsheet would run.</summary>
[Collection(StudioCollection.Name)]
public sealed class TrialsCsvTests(StudioApp app)
{
    [Fact]
    public async Task Trials_export_as_csv_rows_that_read_back_with_formula_text_defused()
    {
        var api = app.Api();
        var dataset = await api.ImportAsync(TestImages.ClassFolderZip(perClass: 6), "csv export");
        var search = await api.PostJsonAsync("/api/v1/searches", new
        {
            datasetId = dataset.GetProperty("id").GetString(),
            budget = new { maxTrials = 2, maxMinutes = 5, maxEpochsPerTrial = 1 },
        }, HttpStatusCode.Created);
        var id = Guid.Parse(search.GetProperty("id").GetString()!);
        await api.WaitForSearchEndAsync(id.ToString());
        // Text that reaches the file from elsewhere, as a prune reason could quote a label.
        const string hostile = "=HYPERLINK(\"http://evil.example\",\"click\"), then\nmore";
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<StudioDbContext>().Trials
                .Where(t => t.SearchId == id && t.Number == 2).ExecuteUpdateAsync(s => s.SetProperty(t => t.Error, hostile));
        }

        var response = await api.GetAsync($"/api/v1/searches/{id}/trials.csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(".csv", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        using var reader = CsvReader.Open(() => new MemoryStream(bytes), maxFieldChars: 100_000);
        var rows = new List<IReadOnlyList<string>>();
        while (reader.Read() is { } record) rows.Add(record.Fields);
        Assert.Equal(3, rows.Count);
        var header = rows[0].ToList();
        Assert.Equal(["trial", "status"], header.Take(2));
        Assert.Contains("val_accuracy", header);
        var trials = (await api.GetJsonAsync($"/api/v1/searches/{id}/trials")).EnumerateArray().ToList();
        for (var n = 1; n <= 2; n++)
        {
            var row = rows[n];
            var trial = trials[n - 1];
            Assert.Equal(header.Count, row.Count);
            Assert.Equal(n.ToString(System.Globalization.CultureInfo.InvariantCulture), row[0]);
            Assert.Equal(trial.GetProperty("params").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture), row[header.IndexOf("params")]);
            Assert.StartsWith("stage 1:", row[header.IndexOf("architecture")]);
        }
        Assert.Equal("'" + hostile, rows[2][header.IndexOf("error_or_reason")]);
        Assert.DoesNotContain(rows.SelectMany(r => r), cell => cell.Length > 0 && cell[0] is '=' or '+' or '@');
    }

    [Fact]
    public async Task Export_of_an_unknown_search_is_a_404_problem()
    {
        (await (await app.Api().GetAsync($"/api/v1/searches/{Guid.NewGuid()}/trials.csv")).JsonAsync(HttpStatusCode.NotFound)).AssertProblem(404, "not found");
    }

    [Theory]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("+CMD", "'+CMD")]
    [InlineData("-2", "'-2")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tx", "'\tx")]
    [InlineData("plain", "plain")]
    [InlineData("", "")]
    public void Text_cells_that_would_run_as_a_formula_start_with_an_apostrophe(string text, string cell) =>
        Assert.Equal(cell, AutoMLStudio.Web.Api.TrialsCsv.Text(text));
}
