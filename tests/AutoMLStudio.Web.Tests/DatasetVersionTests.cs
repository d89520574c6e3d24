using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace AutoMLStudio.Web.Tests;

[Collection(StudioCollection.Name)]
public sealed class DatasetVersionTests(StudioApp app)
{
    private static async Task<(ZipArchive Zip, List<string[]> Labels)> ExportZipAsync(HttpClient api, string datasetId, int number)
    {
        var response = await api.GetAsync($"/api/v1/datasets/{datasetId}/versions/{number}/export");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        var zip = new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
        using var reader = new StreamReader(zip.GetEntry("labels.csv")!.Open());
        var lines = (await reader.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("path,label,split", lines[0]);
        return (zip, lines.Skip(1).Select(l => l.Split(',')).ToList());
    }

    [Fact]
    public async Task Versions_split_deterministically_by_seed_stratified_and_export_every_item_once()
    {
        var api = app.Api();
        var dataset = await api.ImportAsync(TestImages.ClassFolderZip(perClass: 10), "Versioned");
        var id = dataset.GetProperty("id").GetString()!;

        var v1 = await api.PostJsonAsync($"/api/v1/datasets/{id}/versions", new { seed = 5, note = "first" }, HttpStatusCode.Created);
        var v2 = await api.PostJsonAsync($"/api/v1/datasets/{id}/versions", new { seed = 5 }, HttpStatusCode.Created);
        var v3 = await api.PostJsonAsync($"/api/v1/datasets/{id}/versions", new { seed = 6 }, HttpStatusCode.Created);
        Assert.Equal([1, 2, 3], new[] { v1, v2, v3 }.Select(v => v.GetProperty("number").GetInt32()));
        Assert.All(v1.GetProperty("splits").EnumerateArray(), c =>
        {
            Assert.Equal(6, c.GetProperty("train").GetInt32());
            Assert.Equal(2, c.GetProperty("validation").GetInt32());
            Assert.Equal(2, c.GetProperty("test").GetInt32());
        });
        Assert.Equal(TestImages.Classes, v1.GetProperty("splits").EnumerateArray().Select(c => c.GetProperty("label").GetString()));

        var (zip1, labels1) = await ExportZipAsync(api, id, 1);
        var (_, labels2) = await ExportZipAsync(api, id, 2);
        var (_, labels3) = await ExportZipAsync(api, id, 3);
        Assert.Equal(labels1.Select(l => string.Join(',', l)), labels2.Select(l => string.Join(',', l)));
        Assert.NotEqual(labels1.Select(l => string.Join(',', l)), labels3.Select(l => string.Join(',', l)));

        Assert.Equal(30, labels1.Count);
        Assert.Equal(30, labels1.Select(l => l[0]).Distinct().Count());
        Assert.All(labels1, l =>
        {
            Assert.StartsWith(l[1] + "/", l[0]);
            Assert.NotNull(zip1.GetEntry(l[0]));
        });
        Assert.Equal(31, zip1.Entries.Count);

        var listed = await api.GetJsonAsync($"/api/v1/datasets/{id}/versions");
        Assert.Equal([3, 2, 1], listed.EnumerateArray().Select(v => v.GetProperty("number").GetInt32()));
        (await (await api.GetAsync($"/api/v1/datasets/{id}/versions/9")).JsonAsync(HttpStatusCode.NotFound)).AssertProblem(404, "not found");
        (await (await api.PostAsJsonAsync($"/api/v1/datasets/{id}/versions", new { testFraction = 0.9 })).JsonAsync(HttpStatusCode.BadRequest))
            .AssertProblem(400, "split");
    }

    [Fact]
    public async Task A_label_edit_after_creating_a_version_does_not_change_it()
    {
        var api = app.Api();
        var dataset = await api.ImportAsync(TestImages.ClassFolderZip(perClass: 5), "Frozen");
        var id = dataset.GetProperty("id").GetString()!;
        var version = await api.PostJsonAsync($"/api/v1/datasets/{id}/versions", new { seed = 1 }, HttpStatusCode.Created);

        var item = (await api.GetJsonAsync($"/api/v1/datasets/{id}/items?label=vertical&take=1")).GetProperty("items")[0];
        await (await api.PutAsJsonAsync($"/api/v1/datasets/{id}/items/{item.GetProperty("id").GetString()}/label", new { label = "checker" }))
            .JsonAsync(HttpStatusCode.OK);

        var again = await api.GetJsonAsync($"/api/v1/datasets/{id}/versions/1");
        Assert.Equal(version.GetProperty("splits").GetRawText(), again.GetProperty("splits").GetRawText());
        var (_, labels) = await ExportZipAsync(api, id, 1);
        var name = Path.GetFileName(item.GetProperty("originalName").GetString()!);
        Assert.Equal("vertical", labels.Single(l => l[0].EndsWith("/" + name)).ElementAt(1));
    }

    [Fact]
    public async Task A_search_freezes_a_version_and_a_label_edit_while_it_runs_changes_nothing_in_it()
    {
        var api = app.Api();
        var dataset = await api.ImportAsync(TestImages.ClassFolderZip(perClass: 6), "Search version");
        var id = dataset.GetProperty("id").GetString()!;

        var search = await api.PostJsonAsync("/api/v1/searches", new
        {
            datasetId = id, budget = new { maxTrials = 1, maxMinutes = 5, maxEpochsPerTrial = 1 }, seed = 3,
        }, HttpStatusCode.Created);
        var versionId = search.GetProperty("datasetVersionId").GetString();
        var versions = await api.GetJsonAsync($"/api/v1/datasets/{id}/versions");
        var version = versions.EnumerateArray().Single();
        Assert.Equal(versionId, version.GetProperty("id").GetString());
        Assert.Equal(3, version.GetProperty("seed").GetInt32());

        // Relabel two of the 'vertical' items while the search runs: its version keeps six of each class.
        foreach (var item in (await api.GetJsonAsync($"/api/v1/datasets/{id}/items?label=vertical&take=2")).GetProperty("items").EnumerateArray())
            await (await api.PutAsJsonAsync($"/api/v1/datasets/{id}/items/{item.GetProperty("id").GetString()}/label", new { label = "checker" }))
                .JsonAsync(HttpStatusCode.OK);

        var done = await api.WaitForSearchEndAsync(search.GetProperty("id").GetString()!);
        Assert.Equal("completed", done.GetProperty("status").GetString());
        var frozen = await api.GetJsonAsync($"/api/v1/datasets/{id}/versions/1");
        Assert.All(frozen.GetProperty("splits").EnumerateArray(), c =>
            Assert.Equal(6, c.GetProperty("train").GetInt32() + c.GetProperty("validation").GetInt32() + c.GetProperty("test").GetInt32()));
        Assert.Equal(TestImages.Classes, done.GetProperty("best").GetProperty("classes").EnumerateArray().Select(c => c.GetString()));

        // A search on an explicit version uses it as is.
        var second = await api.PostJsonAsync("/api/v1/searches", new
        {
            datasetId = id, datasetVersionId = versionId, budget = new { maxTrials = 1, maxMinutes = 5, maxEpochsPerTrial = 1 },
        }, HttpStatusCode.Created);
        Assert.Equal(versionId, second.GetProperty("datasetVersionId").GetString());
        await api.PostAsync($"/api/v1/searches/{second.GetProperty("id").GetString()}/cancel", null);
        Assert.Single((await api.GetJsonAsync($"/api/v1/datasets/{id}/versions")).EnumerateArray());

        var unknown = await api.PostAsJsonAsync("/api/v1/searches", new { datasetId = id, datasetVersionId = Guid.NewGuid() });
        (await unknown.JsonAsync(HttpStatusCode.NotFound)).AssertProblem(404, "version");
    }

    [Fact]
    public async Task A_tabular_version_exports_one_csv_with_formula_like_cells_neutralised()
    {
        var api = app.Api();
        var datasetId = await DatasetQualityTests.InsertTabularAsync(app, "Formulas", n => (
            n % 2 == 0 ? "=HYPERLINK(\"http://x\",\"y\")" : "plain",
            new Dictionary<string, string?> { ["note"] = n == 1 ? "@SUM(A1:A2)" : "a, b", ["amount"] = n == 2 ? "-3.5" : n == 3 ? "-1+2" : "+7" }), rows: 6);

        await api.PostJsonAsync($"/api/v1/datasets/{datasetId}/versions", new { seed = 2 }, HttpStatusCode.Created);
        var response = await api.GetAsync($"/api/v1/datasets/{datasetId}/versions/1/export");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("note,amount,label,split", lines[0]);
        Assert.Equal(7, lines.Length);
        Assert.StartsWith("\"a, b\",+7,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",", lines[1]);
        Assert.StartsWith("'@SUM(A1:A2),+7,plain,", lines[2]); // a plain number is no formula
        Assert.StartsWith("\"a, b\",-3.5,", lines[3]);
        Assert.StartsWith("\"a, b\",'-1+2,", lines[4]);
    }
}
