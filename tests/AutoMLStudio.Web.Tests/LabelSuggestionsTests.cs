using System.Net;
using System.Text.Json;

namespace AutoMLStudio.Web.Tests;

/// <summary>
/// Model-assisted labeling through the API: a registered model suggests labels for a pool of unlabeled images and
/// orders it, a person confirms some, and only confirmed labels ever reach training.
/// </summary>
[Collection(StudioCollection.Name)]
public sealed class LabelSuggestionsTests(StudioApp app)
{
    [Fact]
    public async Task A_model_suggests_labels_in_a_seeded_order_confirmed_ones_become_labels_and_only_they_reach_a_version()
    {
        var api = app.Api();
        var modelId = await RegisteredModelAsync(api, "suggester");
        // Unlabeled images whose true pattern the test knows from their names.
        var patterns = new[] { "horizontal", "vertical", "checker" };
        var files = Enumerable.Range(0, 30).Select(i => (TestImages.Png(patterns[i % 3], 9000 + i), $"{patterns[i % 3]}-{i:00}.png")).ToList();
        var pool = await api.WaitForImportAsync(await api.UploadFilesAsync(files, "unlabeled pool"));
        var poolId = pool.GetProperty("id").GetString()!;
        (await (await api.GetAsync($"/api/v1/datasets/{poolId}/suggestions")).JsonAsync(HttpStatusCode.NotFound)).AssertProblem(404, "No suggestions yet");

        var first = await SuggestAsync(api, poolId, new { modelId, seed = 42 });
        Assert.Equal(("completed", 30, 30, "margin"), (first.GetProperty("status").GetString(), first.GetProperty("total").GetInt32(),
            first.GetProperty("done").GetInt32(), first.GetProperty("strategy").GetString()));
        var items = await ItemsAsync(api, poolId, "?order=suggested&take=100");
        Assert.Equal(Enumerable.Range(0, 30), items.Select(i => i.GetProperty("suggestionRank").GetInt32()));
        Assert.All(items, i => Assert.Contains(i.GetProperty("suggestedLabel").GetString(), TestImages.Classes));
        Assert.All(items, i => Assert.InRange(i.GetProperty("suggestedConfidence").GetDouble(), 0, 1));
        Assert.All(items, i => Assert.Equal(JsonValueKind.Null, i.GetProperty("label").ValueKind));
        var right = items.Count(i => i.GetProperty("originalName").GetString()!.StartsWith(i.GetProperty("suggestedLabel").GetString()!, StringComparison.Ordinal));
        Assert.True(right >= 20, $"{right} of 30 suggestions match the image's pattern: " + string.Join(", ", items.Select(i => i.GetProperty("originalName").GetString() + "=" + i.GetProperty("suggestedLabel").GetString() + i.GetProperty("suggestedConfidence").GetDouble().ToString("0.00"))));

        // The same seed orders the pool the same way.
        await SuggestAsync(api, poolId, new { modelId, seed = 42 });
        Assert.Equal(items.Select(i => i.GetProperty("id").GetString()), (await ItemsAsync(api, poolId, "?order=suggested&take=100")).Select(i => i.GetProperty("id").GetString()));
        // BADGE draws its batch at random in proportion to doubt: the same seed draws the same batch, and every item is still ranked once.
        var badge = await SuggestAsync(api, poolId, new { modelId, seed = 42, strategy = "badge" });
        Assert.Equal(("completed", "badge"), (badge.GetProperty("status").GetString(), badge.GetProperty("strategy").GetString()));
        var badgeOrder = (await ItemsAsync(api, poolId, "?order=suggested&take=100")).Select(i => i.GetProperty("id").GetString()).ToList();
        await SuggestAsync(api, poolId, new { modelId, seed = 42, strategy = "badge" });
        Assert.Equal(badgeOrder, (await ItemsAsync(api, poolId, "?order=suggested&take=100")).Select(i => i.GetProperty("id").GetString()));
        Assert.Equal(items.Select(i => i.GetProperty("id").GetString()).Order(), badgeOrder.Order());

        // Nothing is a label until confirmed: a version of the dataset has no items yet.
        var empty = await (await api.PostAsync($"/api/v1/datasets/{poolId}/versions", new StringContent("{}", System.Text.Encoding.UTF8, "application/json")))
            .Content.ReadAsStringAsync();
        Assert.DoesNotContain("\"itemCount\":30", empty);

        // Two of each suggested class, least sure first: a version only takes suggestions of classes people have labeled.
        var chosen = items.GroupBy(i => i.GetProperty("suggestedLabel").GetString()).SelectMany(g => g.Take(2)).Take(6)
            .Select(i => i.GetProperty("id").GetString()).ToList();
        var confirmed = await api.PostJsonAsync($"/api/v1/datasets/{poolId}/suggestions/confirm", new { itemIds = chosen }, HttpStatusCode.OK);
        Assert.Equal(6, confirmed.GetProperty("confirmed").GetInt32());
        var after = await ItemsAsync(api, poolId, "?take=100");
        var me = (await api.GetJsonAsync("/api/v1/me")).GetProperty("userId").GetString();
        foreach (var item in after.Where(i => chosen.Contains(i.GetProperty("id").GetString())))
        {
            Assert.Equal(items.Single(i => i.GetProperty("id").GetString() == item.GetProperty("id").GetString()).GetProperty("suggestedLabel").GetString(),
                item.GetProperty("label").GetString());
            Assert.Equal(me, item.GetProperty("labeledBy").GetString());
            Assert.Equal(JsonValueKind.Null, item.GetProperty("suggestedLabel").ValueKind);
        }
        Assert.Equal(6, (await api.GetJsonAsync($"/api/v1/datasets/{poolId}")).GetProperty("labeledCount").GetInt32());
        // Confirming them again changes nothing: they are labels now.
        Assert.Equal(0, (await api.PostJsonAsync($"/api/v1/datasets/{poolId}/suggestions/confirm", new { itemIds = chosen }, HttpStatusCode.OK))
            .GetProperty("confirmed").GetInt32());
        var version = await api.PostJsonAsync($"/api/v1/datasets/{poolId}/versions", new { seed = 1 }, HttpStatusCode.Created);
        Assert.Equal(6, version.GetProperty("itemCount").GetInt32());

        // Asked to, a version also takes the 24 unconfirmed suggestions, all of them for training: what is held out stays human-labeled.
        var withSuggestions = await api.PostJsonAsync($"/api/v1/datasets/{poolId}/versions", new { seed = 1, includeSuggestions = true }, HttpStatusCode.Created);
        Assert.Equal(30, withSuggestions.GetProperty("itemCount").GetInt32());
        static int HeldOut(JsonElement v) => v.GetProperty("splits").EnumerateArray().Sum(c => c.GetProperty("validation").GetInt32() + c.GetProperty("test").GetInt32());
        Assert.Equal(HeldOut(version), HeldOut(withSuggestions));
        Assert.Contains("24 unconfirmed suggestions, training split only", withSuggestions.GetProperty("note").GetString());
    }

    [Fact]
    public async Task Missing_or_unfit_models_unknown_orders_and_empty_confirmations_are_refused_with_a_reason()
    {
        var api = app.Api();
        var modelId = await RegisteredModelAsync(api, "unfit suggester");
        var images = await api.ImportAsync(TestImages.ClassFolderZip(perClass: 3), "suggestion refusals");
        var imagesId = images.GetProperty("id").GetString()!;
        var texts = await api.ImportFileAsync("text,label\nhello there,a\ngood bye,b\n"u8.ToArray(), "texts.csv", "suggestion texts",
            new Dictionary<string, string> { ["labelColumn"] = "label", ["textColumn"] = "text" });

        async Task<JsonElement> RefusedAsync(string datasetId, object body, HttpStatusCode status = HttpStatusCode.BadRequest) =>
            await (await api.PostAsync($"/api/v1/datasets/{datasetId}/suggestions",
                new StringContent(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json"))).JsonAsync(status);

        (await RefusedAsync(imagesId, new { })).AssertProblem(400, "Model missing");
        (await RefusedAsync(imagesId, new { modelId = Guid.NewGuid() }, HttpStatusCode.NotFound)).AssertProblem(404, "Model version not found");
        (await RefusedAsync(imagesId, new { endpointId = Guid.NewGuid() }, HttpStatusCode.NotFound)).AssertProblem(404, "Endpoint");
        (await RefusedAsync(imagesId, new { modelId, strategy = "best" })).AssertProblem(400, "Unknown order");
        var unfit = await RefusedAsync(texts.GetProperty("id").GetString()!, new { modelId });
        unfit.AssertProblem(400, "Model does not fit the dataset");
        Assert.Contains("holds text data", unfit.GetProperty("detail").GetString());
        (await RefusedAsync(Guid.NewGuid().ToString(), new { modelId }, HttpStatusCode.NotFound)).AssertProblem(404, "Dataset");
        (await (await api.PostAsync($"/api/v1/datasets/{imagesId}/suggestions/confirm",
            new StringContent("{\"itemIds\":[]}", System.Text.Encoding.UTF8, "application/json"))).JsonAsync(HttpStatusCode.BadRequest)).AssertProblem(400, "No items");
        (await (await api.GetAsync($"/api/v1/datasets/{imagesId}/items?order=random")).JsonAsync(HttpStatusCode.BadRequest)).AssertProblem(400, "Unknown order");
        var (viewer, _) = await app.CreateUserAsync(Core.Identity.StudioRoles.Viewer);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.Api(viewer).PostAsync($"/api/v1/datasets/{imagesId}/suggestions", null)).StatusCode);
    }

    private static async Task<JsonElement> SuggestAsync(HttpClient api, string datasetId, object body)
    {
        var run = await (await api.PostAsync($"/api/v1/datasets/{datasetId}/suggestions",
            new StringContent(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json"))).JsonAsync(HttpStatusCode.Accepted);
        Assert.Equal("queued", run.GetProperty("status").GetString());
        return await api.WaitForAsync($"/api/v1/datasets/{datasetId}/suggestions",
            r => r.GetProperty("id").GetString() == run.GetProperty("id").GetString() && r.GetProperty("status").GetString() is "completed" or "failed",
            TimeSpan.FromSeconds(60));
    }

    private static async Task<List<JsonElement>> ItemsAsync(HttpClient api, string datasetId, string query) =>
        [.. (await api.GetJsonAsync($"/api/v1/datasets/{datasetId}/items{query}")).GetProperty("items").EnumerateArray()];

    private static async Task<string> RegisteredModelAsync(HttpClient api, string name)
    {
        var dataset = await api.ImportAsync(TestImages.ClassFolderZip(perClass: 20), name);
        var search = await api.PostJsonAsync("/api/v1/searches", new
        {
            datasetId = dataset.GetProperty("id").GetString(), seed = 7, algorithm = "random",
            budget = new { maxTrials = 3, maxMinutes = 10, maxEpochsPerTrial = 10 },
        }, HttpStatusCode.Created);
        var done = await api.WaitForSearchEndAsync(search.GetProperty("id").GetString()!);
        var model = await api.PostJsonAsync("/api/v1/models", new { trialId = done.GetProperty("bestTrialId").GetString(), name = $"{name} {Guid.NewGuid():N}"[..(name.Length + 9)] },
            HttpStatusCode.Created);
        return model.GetProperty("id").GetString()!;
    }
}
