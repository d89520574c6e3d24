using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace AutoMLStudio.Web.Tests;

/// <summary>
/// Column names are case-sensitive, as in CSV and pandas: "Age" and "age" are two columns. A name someone typed
/// matches exactly first; in another case only when exactly one column matches it, else it is refused with the candidates.
/// </summary>
[Collection(StudioCollection.Name)]
public sealed class CaseDistinctColumnsTests(StudioApp app)
{
    // 60 rows: "Age" has gaps and "age" has none, so their stats differ; "Price" is a number; the label follows "Age".
    internal static byte[] Table()
    {
        var csv = new StringBuilder("Age,age,Price,label\n");
        for (var i = 0; i < 60; i++)
        {
            var age = i % 10 == 0 ? "" : (i % 6).ToString(CultureInfo.InvariantCulture);
            csv.Append(CultureInfo.InvariantCulture, $"{age},{i * 1.5},{i * 10.25},{(i % 6 < 3 ? "young" : "old")}\n");
        }
        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    private static Dictionary<string, JsonElement> Columns(JsonElement dataset) =>
        dataset.GetProperty("columns").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, StringComparer.Ordinal);

    [Fact]
    public async Task Columns_whose_names_differ_only_in_case_import_as_two_columns_with_their_own_stats()
    {
        var dataset = await app.Api().ImportFileAsync(Table(), "ages.csv", "two ages", new Dictionary<string, string> { ["labelColumn"] = "label" });

        Assert.Equal("ready", dataset.GetProperty("status").GetString());
        var columns = Columns(dataset);
        Assert.Equal(["Age", "age", "Price", "label"], columns.Keys);
        Assert.Equal(6, columns["Age"].GetProperty("missing").GetInt32());
        Assert.Equal(0, columns["age"].GetProperty("missing").GetInt32());
        Assert.Equal("feature", columns["Age"].GetProperty("role").GetString());
        Assert.Equal("feature", columns["age"].GetProperty("role").GetString());
        Assert.Equal(60, dataset.GetProperty("itemCount").GetInt32());
    }

    [Fact]
    public async Task An_exact_repeat_of_a_column_name_is_still_refused()
    {
        var upload = await app.Api().UploadFilesAsync([("a,a,label\n1,2,x\n"u8.ToArray(), "repeat.csv")], "repeat");

        var problem = await upload.JsonAsync(HttpStatusCode.BadRequest);
        problem.AssertProblem(400, "Repeated column name");
        Assert.Contains("'a' more than once", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_name_in_another_case_picks_the_one_column_it_matches_and_is_refused_with_the_candidates_when_several_match()
    {
        var api = app.Api();
        var dataset = await api.ImportFileAsync(Table(), "ages.csv", "ages schema", new Dictionary<string, string> { ["labelColumn"] = "LABEL" });
        Assert.Equal("label", dataset.GetProperty("labelColumn").GetString());
        var url = $"/api/v1/datasets/{dataset.GetProperty("id").GetString()}/schema";

        var ambiguous = await (await api.PutAsJsonAsync(url, new { labelColumn = "AGE" })).JsonAsync(HttpStatusCode.BadRequest);
        ambiguous.AssertProblem(400, "Ambiguous column name");
        Assert.Contains("'Age', 'age'", ambiguous.GetProperty("detail").GetString());
        var ambiguousType = await (await api.PutAsJsonAsync(url, new { columnTypes = new Dictionary<string, string> { ["aGe"] = "categorical" } }))
            .JsonAsync(HttpStatusCode.BadRequest);
        ambiguousType.AssertProblem(400, "Ambiguous column name");

        var exact = await (await api.PutAsJsonAsync(url, new { labelColumn = "age", columnTypes = new Dictionary<string, string> { ["Age"] = "categorical" } }))
            .JsonAsync(HttpStatusCode.OK);
        Assert.Equal("age", exact.GetProperty("labelColumn").GetString());
        Assert.Equal("label", Columns(exact)["age"].GetProperty("role").GetString());
        Assert.Equal("feature", Columns(exact)["Age"].GetProperty("role").GetString());
        Assert.Equal("categorical", Columns(exact)["Age"].GetProperty("type").GetString());
        Assert.Equal("numeric", Columns(exact)["age"].GetProperty("type").GetString());

        // One column matches ignoring case: clients that typed "PRICE" for "Price" keep working.
        var single = await (await api.PutAsJsonAsync(url, new { labelColumn = "PRICE" })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Price", single.GetProperty("labelColumn").GetString());
        Assert.Equal("regression", single.GetProperty("task").GetString());
    }

    [Fact]
    public async Task A_model_trained_on_case_distinct_columns_reads_both_fields_of_a_row()
    {
        var api = app.Api();
        var dataset = await api.ImportFileAsync(Table(), "ages.csv", "ages model", new Dictionary<string, string> { ["labelColumn"] = "label" });
        var search = await api.PostJsonAsync("/api/v1/searches", new
        {
            datasetId = dataset.GetProperty("id").GetString(), seed = 5, algorithm = "random",
            budget = new { maxTrials = 1, maxMinutes = 5, maxEpochsPerTrial = 2 },
        }, HttpStatusCode.Created);
        var done = await api.WaitForSearchEndAsync(search.GetProperty("id").GetString()!);
        Assert.Equal("completed", done.GetProperty("status").GetString());
        var model = await api.PostJsonAsync("/api/v1/models", new { trialId = done.GetProperty("bestTrialId").GetString(), name = "ages" }, HttpStatusCode.Created);
        var modelId = model.GetProperty("id").GetString()!;
        var endpoint = await api.PostJsonAsync("/api/v1/endpoints", new { modelId, name = "ages" }, HttpStatusCode.Created);
        var predict = endpoint.GetProperty("predictUrl").GetString()!;

        // The preprocessing the endpoint applies has an input for each of the two columns.
        var bundle = new ZipArchive(new MemoryStream(await api.GetByteArrayAsync($"/api/v1/models/{modelId}/download?format=bundle")));
        using (var plan = JsonDocument.Parse(bundle.GetEntry("preprocessing.json")!.Open()))
            Assert.Superset(new HashSet<string> { "Age", "age" }, plan.RootElement.GetRawText().Split('"').ToHashSet());

        var answer = await api.PostJsonAsync(predict, new
        {
            instances = new object[]
            {
                new Dictionary<string, object?> { ["Age"] = 1, ["age"] = 2, ["Price"] = 3 },
                new Dictionary<string, object?> { ["Age"] = 4, ["age"] = 2, ["PRICE"] = 3 }, // the one "Price" stands for "PRICE"
            },
        }, HttpStatusCode.OK);
        Assert.All(answer.GetProperty("predictions").EnumerateArray(), p => Assert.Contains(p.GetProperty("label").GetString(), new[] { "young", "old" }));

        var ambiguous = await api.PostJsonAsync(predict, new { instances = new[] { new Dictionary<string, object?> { ["AGE"] = 1, ["Price"] = 3 } } },
            HttpStatusCode.BadRequest);
        ambiguous.AssertProblem(400, "Ambiguous column name");
        Assert.Contains("'Age', 'age'", ambiguous.GetProperty("detail").GetString());

        var id = endpoint.GetProperty("id").GetString();
        var started = await (await api.PostAsync($"/api/v1/endpoints/{id}/batches",
            new MultipartFormDataContent { { new StringContent("Age,age,price\n1,2,3\n,5,6\n"), "file", "rows.csv" } })).JsonAsync(HttpStatusCode.Accepted);
        var batch = await api.WaitForAsync($"/api/v1/endpoints/{id}/batches/{started.GetProperty("id").GetString()}",
            b => b.GetProperty("status").GetString() is "completed" or "failed", TimeSpan.FromSeconds(60));
        Assert.Equal("completed", batch.GetProperty("status").GetString());
        Assert.Equal(2, batch.GetProperty("total").GetInt32());
        Assert.Equal(0, batch.GetProperty("failed").GetInt32());
    }
}
