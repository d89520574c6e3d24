using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace AutoMLStudio.Web.Tests;

/// <summary>A CSV table: types inferred and overridable, missing cells counted, the task proposed, the label changeable.</summary>
[Collection(StudioCollection.Name)]
public sealed class TabularImportTests(StudioApp app)
{
    // 30 rows: an id, a numeric feature with gaps, a category, a date, free text, a class label and a numeric target.
    private static byte[] Table()
    {
        var csv = new StringBuilder("id,size,colour,bought,comment,species,price\n");
        string[] colours = ["red", "green", "blue"];
        for (var i = 1; i <= 30; i++)
        {
            var size = i % 10 == 0 ? "NA" : i % 7 == 0 ? "" : (i * 1.5).ToString(System.Globalization.CultureInfo.InvariantCulture);
            csv.Append($"{i},{size},{colours[i % 3]},2024-01-{i:00},\"comment number {i} about item {i * 7}\",{(i % 2 == 0 ? "a" : "b")},{(i * 10.25).ToString(System.Globalization.CultureInfo.InvariantCulture)}\n");
        }
        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    [Fact]
    public async Task Csv_table_imports_with_inferred_column_types_missing_counts_and_a_proposed_classification()
    {
        var dataset = await app.Api().ImportFileAsync(Table(), "plants.csv", "plants", new Dictionary<string, string> { ["labelColumn"] = "species" });

        Assert.Equal("ready", dataset.GetProperty("status").GetString());
        Assert.Equal("tabular", dataset.GetProperty("kind").GetString());
        Assert.Equal("classification", dataset.GetProperty("task").GetString());
        Assert.Equal(30, dataset.GetProperty("itemCount").GetInt32());
        Assert.Equal(new Dictionary<string, int> { ["a"] = 15, ["b"] = 15 }, dataset.Classes());
        var columns = Columns(dataset);
        Assert.Equal("identifier", columns["id"].GetProperty("inferredType").GetString());
        Assert.Equal("numeric", columns["size"].GetProperty("type").GetString());
        Assert.Equal(7, columns["size"].GetProperty("missing").GetInt32()); // 3 × "NA" and 4 empty
        Assert.Equal("categorical", columns["colour"].GetProperty("type").GetString());
        Assert.Equal("date", columns["bought"].GetProperty("type").GetString());
        Assert.Equal("text", columns["comment"].GetProperty("type").GetString());
        Assert.Equal("label", columns["species"].GetProperty("role").GetString());
    }

    [Fact]
    public async Task Numeric_label_with_many_values_is_proposed_as_regression_with_invariant_numbers()
    {
        var dataset = await app.Api().ImportFileAsync(Table(), "prices.csv", "prices", new Dictionary<string, string> { ["labelColumn"] = "price" });

        Assert.Equal("regression", dataset.GetProperty("task").GetString());
        Assert.Equal(30, dataset.GetProperty("labeledCount").GetInt32());
        Assert.Empty(dataset.Classes());
        var labels = await Labels(dataset);
        Assert.Contains("10.25", labels);
        Assert.Contains("20.5", labels);

        // A regression target has no classes: the report must not call 30 prices 30 classes that are too small.
        var quality = await app.Api().WaitForAsync($"/api/v1/datasets/{dataset.GetProperty("id").GetString()}/quality",
            q => q.GetProperty("computedAt").ValueKind != System.Text.Json.JsonValueKind.Null, TimeSpan.FromSeconds(60));
        var codes = quality.GetProperty("details").EnumerateArray().Select(w => w.GetProperty("code").GetString()).ToList();
        Assert.DoesNotContain("class_too_small", codes);
        Assert.DoesNotContain("too_few_classes", codes);
        Assert.Empty(quality.GetProperty("classes").EnumerateArray());
    }

    [Fact]
    public async Task Changing_the_label_column_recomputes_every_rows_label_and_types_can_be_overridden()
    {
        var api = app.Api();
        var dataset = await api.ImportFileAsync(Table(), "plants.csv", "relabel", new Dictionary<string, string> { ["labelColumn"] = "species" });
        var id = dataset.GetProperty("id").GetString();

        var changed = await (await api.PutAsJsonAsync($"/api/v1/datasets/{id}/schema",
            new { labelColumn = "colour", columnTypes = new Dictionary<string, string> { ["id"] = "categorical" } })).JsonAsync(HttpStatusCode.OK);

        Assert.Equal("colour", changed.GetProperty("labelColumn").GetString());
        Assert.Equal("classification", changed.GetProperty("task").GetString());
        Assert.Equal(new Dictionary<string, int> { ["blue"] = 10, ["green"] = 10, ["red"] = 10 }, changed.Classes());
        Assert.Equal("categorical", Columns(changed)["id"].GetProperty("type").GetString());
        Assert.Equal("identifier", Columns(changed)["id"].GetProperty("inferredType").GetString());

        var regression = await (await api.PutAsJsonAsync($"/api/v1/datasets/{id}/schema", new { labelColumn = "size" })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("regression", regression.GetProperty("task").GetString());
        Assert.Equal(23, regression.GetProperty("labeledCount").GetInt32()); // the 7 missing sizes are unlabeled

        var refused = await (await api.PutAsJsonAsync($"/api/v1/datasets/{id}/schema", new { labelColumn = "colour", task = "regression" })).JsonAsync(HttpStatusCode.BadRequest);
        refused.AssertProblem(400, "not numeric");
        var unknown = await (await api.PutAsJsonAsync($"/api/v1/datasets/{id}/schema", new { labelColumn = "nope" })).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Contains("id, size, colour", unknown.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task The_schemas_task_is_read_in_any_case_and_an_unknown_word_is_refused_in_words_and_changes_nothing()
    {
        var api = app.Api();
        var dataset = await api.ImportFileAsync(Table(), "plants.csv", "task words", new Dictionary<string, string> { ["labelColumn"] = "species" });
        var id = dataset.GetProperty("id").GetString();

        var regression = await (await api.PutAsJsonAsync($"/api/v1/datasets/{id}/schema", new { labelColumn = "price", task = "  Regression " }))
            .JsonAsync(HttpStatusCode.OK);
        Assert.Equal("regression", regression.GetProperty("task").GetString());
        Assert.Equal(30, regression.GetProperty("labeledCount").GetInt32());

        foreach (var word in new[] { "banana", "", "regression; DROP TABLE \"Datasets\"", "0" })
        {
            var refused = await (await api.PutAsJsonAsync($"/api/v1/datasets/{id}/schema", new { labelColumn = "species", task = word }))
                .JsonAsync(HttpStatusCode.BadRequest);
            refused.AssertProblem(400, "Unknown task");
            Assert.Equal("The task must be 'classification' or 'regression'.", refused.GetProperty("detail").GetString());
        }
        var kept = await api.GetFromJsonAsync<JsonElement>($"/api/v1/datasets/{id}");
        Assert.Equal("regression", kept.GetProperty("task").GetString());
        Assert.Equal("price", kept.GetProperty("labelColumn").GetString());
    }

    [Fact]
    public async Task Tsv_with_semicolons_or_tabs_is_read_with_the_sniffed_delimiter()
    {
        var tsv = "a\tb\tlabel\n1\t2\tx\n3\t4\ty\n";

        var dataset = await app.Api().ImportFileAsync(Encoding.UTF8.GetBytes(tsv), "t.tsv", "tabs");

        Assert.Equal("ready", dataset.GetProperty("status").GetString());
        Assert.Equal("label", dataset.GetProperty("labelColumn").GetString());
        Assert.Equal(new Dictionary<string, int> { ["x"] = 1, ["y"] = 1 }, dataset.Classes());
    }

    private static Dictionary<string, JsonElement> Columns(JsonElement dataset) =>
        dataset.GetProperty("columns").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!);

    private async Task<List<string?>> Labels(JsonElement dataset)
    {
        var items = await app.Api().GetJsonAsync($"/api/v1/datasets/{dataset.GetProperty("id").GetString()}/items?take=1000");
        return items.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("label").GetString()).ToList();
    }
}
