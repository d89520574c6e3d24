using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Datasets;
using AutoMLStudio.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AutoMLStudio.Web.Tests;

/// <summary>The test examples a finished search got wrong, through GET /api/v1/searches/{id}/misclassified.</summary>
[Collection(StudioCollection.Name)]
public sealed class MisclassifiedTests(StudioApp app)
{
    private sealed record Mistake(Guid ItemId, Guid DatasetId, string TrueLabel, string PredictedLabel, double Confidence, double TrueLabelProbability,
        string? CurrentLabel, string? OriginalName, string? ThumbnailUrl, string? Snippet, string? LabelingUrl);

    private sealed record MistakePage(int Total, int TestCount, int Offset, int Limit, List<Mistake> Items);

    /// <summary>Stripes and checkers, with a few images of each class filed under the next one: labels no model can learn.</summary>
    private static byte[] ImagesWithWrongLabels() => TestImages.ClassFolderZip(perClass: 12, extra: zip =>
    {
        for (var c = 0; c < TestImages.Classes.Length; c++)
        for (var i = 0; i < 4; i++)
            TestImages.Add(zip, $"shapes/{TestImages.Classes[c]}/mislabeled-{i}.png",
                TestImages.Png(TestImages.Classes[(c + 1) % TestImages.Classes.Length], 5000 + c * 10 + i));
    });

    private async Task<(string Id, JsonElement Done)> SearchAsync(HttpClient api, string datasetId)
    {
        var search = await api.PostJsonAsync("/api/v1/searches", new
        {
            datasetId,
            budget = new { maxTrials = 1, maxMinutes = 5, maxEpochsPerTrial = 1 },
            algorithm = "random",
            seed = 3,
        }, HttpStatusCode.Created);
        var id = search.GetProperty("id").GetString()!;
        var done = await api.WaitForSearchEndAsync(id);
        Assert.Equal("completed", done.GetProperty("status").GetString());
        return (id, done);
    }

    private static int OffDiagonal(JsonElement done, out int total)
    {
        var confusion = done.GetProperty("best").GetProperty("test").GetProperty("confusionMatrix").Deserialize<int[][]>()!;
        total = confusion.Sum(row => row.Sum());
        return confusion.SelectMany((row, t) => row.Where((_, p) => p != t)).Sum();
    }

    [Fact]
    public async Task A_finished_image_search_lists_its_test_mistakes_most_confident_first_with_the_versions_true_labels()
    {
        var api = app.Api();
        var dataset = await api.ImportAsync(ImagesWithWrongLabels(), "mistakes");
        var datasetId = Guid.Parse(dataset.GetProperty("id").GetString()!);
        var (id, done) = await SearchAsync(api, datasetId.ToString());

        var page = (await api.GetFromJsonAsync<MistakePage>($"/api/v1/searches/{id}/misclassified?limit=200"))!;

        var mistakes = OffDiagonal(done, out var testCount);
        Assert.True(mistakes > 0, "a fifth of the labels are wrong, so the test split must hold mistakes");
        Assert.Equal(mistakes, page.Total);
        Assert.Equal(testCount, page.TestCount);
        Assert.Equal(mistakes, page.Items.Count);
        Assert.Equal(page.Items.OrderByDescending(m => m.Confidence).Select(m => m.Confidence), page.Items.Select(m => m.Confidence));
        // Each (true, predicted) pair as often as the confusion matrix counts it.
        var classes = done.GetProperty("best").GetProperty("test").GetProperty("classes").Deserialize<string[]>()!;
        var confusion = done.GetProperty("best").GetProperty("test").GetProperty("confusionMatrix").Deserialize<int[][]>()!;
        foreach (var pair in page.Items.GroupBy(m => (m.TrueLabel, m.PredictedLabel)))
            Assert.Equal(confusion[Array.IndexOf(classes, pair.Key.TrueLabel)][Array.IndexOf(classes, pair.Key.PredictedLabel)], pair.Count());

        var versionId = Guid.Parse(done.GetProperty("datasetVersionId").GetString()!);
        Dictionary<Guid, DatasetVersionItem> version;
        await using (var scope = app.Services.CreateAsyncScope())
            version = await scope.ServiceProvider.GetRequiredService<StudioDbContext>().DatasetVersionItems.AsNoTracking()
                .Where(v => v.VersionId == versionId).ToDictionaryAsync(v => v.ItemId);
        Assert.All(page.Items, m =>
        {
            Assert.Equal(version[m.ItemId].Label, m.TrueLabel);
            Assert.Equal(SplitPart.Test, version[m.ItemId].Split);
            Assert.NotEqual(m.TrueLabel, m.PredictedLabel);
            Assert.Equal(datasetId, m.DatasetId);
            Assert.Equal(m.TrueLabel, m.CurrentLabel);
            Assert.InRange(m.Confidence, 1.0 / classes.Length - 1e-6, 1);
            Assert.True(m.TrueLabelProbability <= m.Confidence);
            Assert.Equal($"/api/v1/datasets/{datasetId}/items/{m.ItemId}/thumbnail", m.ThumbnailUrl);
            Assert.Equal($"/datasets/{datasetId}/label?item={m.ItemId}&search={id}", m.LabelingUrl);
        });
        var thumbnail = await api.GetAsync(page.Items[0].ThumbnailUrl);
        Assert.Equal("image/png", thumbnail.Content.Headers.ContentType?.MediaType);

        // Pages follow the same order; a fix changes the item's current label, never the label the search was tested on.
        var second = (await api.GetFromJsonAsync<MistakePage>($"/api/v1/searches/{id}/misclassified?limit=1&offset=1"))?.Items;
        if (page.Items.Count > 1) Assert.Equal(page.Items[1].ItemId, Assert.Single(second!).ItemId);
        var fixedOne = page.Items[0];
        (await api.PutAsJsonAsync($"/api/v1/datasets/{datasetId}/items/{fixedOne.ItemId}/label", new { label = fixedOne.PredictedLabel }))
            .EnsureSuccessStatusCode();
        var after = (await api.GetFromJsonAsync<MistakePage>($"/api/v1/searches/{id}/misclassified?limit=1"))!.Items[0];
        Assert.Equal((fixedOne.ItemId, fixedOne.TrueLabel, fixedOne.PredictedLabel), (after.ItemId, after.TrueLabel, after.CurrentLabel));

        // A search that completed before predictions were kept has no file: the gallery says so.
        var store = app.Services.GetRequiredService<IArtifactStore>();
        File.Delete(store.FullPath(ArtifactPaths.TestPredictions(Guid.Parse(id))));
        (await (await api.GetAsync($"/api/v1/searches/{id}/misclassified")).JsonAsync(HttpStatusCode.NotFound)).AssertProblem(404, "No test predictions");
    }

    [Fact]
    public async Task A_finished_table_search_lists_its_mistakes_with_each_rows_cells()
    {
        // Half the labels are a coin toss: the colour decides the rest, so any model gets some rows wrong.
        var random = new Random(4);
        var csv = new StringBuilder("colour,size,label\n");
        string[] colours = ["red", "green", "blue"], labels = ["warm", "fresh", "cold"];
        for (var i = 0; i < 90; i++)
            csv.Append(CultureInfo.InvariantCulture, $"{colours[i % 3]},{random.NextDouble() * 10:F2},{labels[random.Next(2) == 0 ? i % 3 : random.Next(3)]}\n");
        var api = app.Api();
        var dataset = await api.ImportFileAsync(Encoding.UTF8.GetBytes(csv.ToString()), "noisy.csv", "noisy", new Dictionary<string, string> { ["labelColumn"] = "label" });
        var (id, done) = await SearchAsync(api, dataset.GetProperty("id").GetString()!);

        var page = (await api.GetFromJsonAsync<MistakePage>($"/api/v1/searches/{id}/misclassified?limit=200"))!;

        Assert.Equal(OffDiagonal(done, out var testCount), page.Total);
        Assert.Equal(testCount, page.TestCount);
        Assert.True(page.Total > 0);
        Assert.All(page.Items, m =>
        {
            Assert.NotEqual(m.TrueLabel, m.PredictedLabel);
            Assert.Null(m.ThumbnailUrl);
            Assert.Matches(@"^colour: (red|green|blue) · size: \d+\.\d\d$", m.Snippet);
        });
    }

    [Fact]
    public async Task An_unknown_search_or_bad_paging_is_a_problem_that_says_what_to_do()
    {
        var api = app.Api();
        (await (await api.GetAsync($"/api/v1/searches/{Guid.NewGuid()}/misclassified")).JsonAsync(HttpStatusCode.NotFound))
            .AssertProblem(404, "Search not found");
        (await (await api.GetAsync($"/api/v1/searches/{Guid.NewGuid()}/misclassified?limit=0")).JsonAsync(HttpStatusCode.BadRequest))
            .AssertProblem(400, "Invalid paging");
    }
}
