using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AutoMLStudio.Core.Identity;
using Microsoft.AspNetCore.SignalR.Client;

namespace AutoMLStudio.Web.Tests;

[Collection(StudioCollection.Name)]
public sealed class LabelingTests(StudioApp app)
{
    private async Task<(string DatasetId, List<JsonElement> Items)> DatasetAsync(string name, int perClass = 6)
    {
        var dataset = await app.Api().ImportAsync(TestImages.ClassFolderZip(perClass), name);
        var id = dataset.GetProperty("id").GetString()!;
        var page = await app.Api().GetJsonAsync($"/api/v1/datasets/{id}/items?take=1000");
        return (id, page.GetProperty("items").EnumerateArray().ToList());
    }

    [Fact]
    public async Task A_label_change_is_saved_at_once_with_who_and_when_and_clearing_it_unlabels()
    {
        var api = app.Api();
        var (id, items) = await DatasetAsync("label one");
        var item = items[0].GetProperty("id").GetString();

        var change = await (await api.PutAsJsonAsync($"/api/v1/datasets/{id}/items/{item}/label", new { label = "zebra" })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("zebra", change.GetProperty("label").GetString());
        var labeled = (await api.GetJsonAsync($"/api/v1/datasets/{id}/items?label=zebra")).GetProperty("items").EnumerateArray().Single();
        Assert.False(string.IsNullOrEmpty(labeled.GetProperty("labeledBy").GetString()));
        Assert.True(labeled.GetProperty("labeledAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-1));
        Assert.Contains("zebra", (await api.GetJsonAsync($"/api/v1/datasets/{id}/labels")).EnumerateArray().Select(l => l.GetString()));

        await api.PutAsJsonAsync($"/api/v1/datasets/{id}/items/{item}/label", new { label = (string?)null });
        var dataset = await api.GetJsonAsync($"/api/v1/datasets/{id}");
        Assert.Equal(items.Count - 1, dataset.GetProperty("labeledCount").GetInt32());
        Assert.Equal(1, (await api.GetJsonAsync($"/api/v1/datasets/{id}/items?unlabeled=true")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Two_people_on_the_same_item_last_change_wins_and_the_overwritten_one_is_named_live()
    {
        var (id, items) = await DatasetAsync("conflict");
        var (aliceKey, aliceId) = await app.CreateUserAsync(StudioRoles.Expert);
        var (bobKey, _) = await app.CreateUserAsync(StudioRoles.Expert);
        var item = items[0];
        var itemId = item.GetProperty("id").GetString();
        var seen = item.GetProperty("revision").GetInt32();

        await using var hub = await app.ConnectHubAsync("/hubs/datasets", bobKey);
        var events = new List<JsonElement>();
        hub.On<JsonElement>("labelsChanged", e => { lock (events) events.Add(e); });
        await hub.InvokeAsync("JoinDataset", Guid.Parse(id));

        var alice = await (await app.Api(aliceKey).PutAsJsonAsync($"/api/v1/datasets/{id}/items/{itemId}/label",
            new { label = "alice-says", expectedRevision = seen })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, alice.GetProperty("replaced").ValueKind);

        // Bob still looks at the old revision: his change wins, and the answer names the label he replaced and whose it was.
        var bob = await (await app.Api(bobKey).PutAsJsonAsync($"/api/v1/datasets/{id}/items/{itemId}/label",
            new { label = "bob-says", expectedRevision = seen })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("bob-says", bob.GetProperty("label").GetString());
        Assert.Equal("alice-says", bob.GetProperty("replaced").GetProperty("label").GetString());
        Assert.Equal(aliceId, bob.GetProperty("replaced").GetProperty("labeledBy").GetString());

        await StudioAppExtensions.WaitUntilAsync(() => { lock (events) return events.Count >= 2; }, "two labelsChanged events");
        lock (events)
        {
            var last = events.Last().GetProperty("changes").EnumerateArray().Single();
            Assert.Equal("bob-says", last.GetProperty("label").GetString());
            Assert.Equal("alice-says", last.GetProperty("replaced").GetProperty("label").GetString());
        }
    }

    [Fact]
    public async Task People_labeling_different_items_at_the_same_time_never_lose_a_change()
    {
        var (id, items) = await DatasetAsync("parallel", perClass: 10);
        var (aliceKey, _) = await app.CreateUserAsync(StudioRoles.Expert);
        var (bobKey, _) = await app.CreateUserAsync(StudioRoles.Expert);

        var writes = items.Select((item, n) =>
        {
            var client = app.Api(n % 2 == 0 ? aliceKey : bobKey);
            return client.PutAsJsonAsync($"/api/v1/datasets/{id}/items/{item.GetProperty("id").GetString()}/label", new { label = $"l{n % 4}" });
        });
        Assert.All(await Task.WhenAll(writes), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));

        var after = (await app.Api().GetJsonAsync($"/api/v1/datasets/{id}/items?take=1000")).GetProperty("items").EnumerateArray()
            .ToDictionary(i => i.GetProperty("id").GetString()!, i => i.GetProperty("label").GetString());
        for (var n = 0; n < items.Count; n++)
            Assert.Equal($"l{n % 4}", after[items[n].GetProperty("id").GetString()!]);
    }

    [Fact]
    public async Task Bulk_assign_rename_merge_and_delete_change_every_affected_item()
    {
        var api = app.Api();
        var (id, items) = await DatasetAsync("bulk");
        var firstFive = items.Take(5).Select(i => i.GetProperty("id").GetGuid()).ToList();

        var assigned = await api.PostJsonAsync($"/api/v1/datasets/{id}/labels/assign", new { itemIds = firstFive, label = "picked" }, HttpStatusCode.OK);
        Assert.Equal(5, assigned.GetProperty("changed").GetInt32());
        Assert.Equal(5, (await api.GetJsonAsync($"/api/v1/datasets/{id}/items?label=picked")).GetProperty("total").GetInt32());

        var renamed = await api.PostJsonAsync($"/api/v1/datasets/{id}/labels/rename", new { from = "picked", to = "chosen" }, HttpStatusCode.OK);
        Assert.Equal(5, renamed.GetProperty("changed").GetInt32());
        Assert.DoesNotContain("picked", renamed.GetProperty("labels").EnumerateArray().Select(l => l.GetString()));

        var horizontal = (await api.GetJsonAsync($"/api/v1/datasets/{id}/items?label=horizontal")).GetProperty("total").GetInt32();
        var merged = await api.PostJsonAsync($"/api/v1/datasets/{id}/labels/merge", new { from = new[] { "chosen", "horizontal" }, into = "vertical" }, HttpStatusCode.OK);
        Assert.Equal(5 + horizontal, merged.GetProperty("changed").GetInt32());

        var deleted = await (await api.DeleteAsync($"/api/v1/datasets/{id}/labels/vertical")).JsonAsync(HttpStatusCode.OK);
        Assert.True(deleted.GetProperty("changed").GetInt32() > 5);
        var dataset = await api.GetJsonAsync($"/api/v1/datasets/{id}");
        Assert.Equal(items.Count - deleted.GetProperty("changed").GetInt32(), dataset.GetProperty("labeledCount").GetInt32());
        Assert.Equal(items.Count, dataset.GetProperty("itemCount").GetInt32());

        var created = await api.PostJsonAsync($"/api/v1/datasets/{id}/labels", new { name = "new-class" }, HttpStatusCode.OK);
        Assert.Equal("new-class", created.GetProperty("labels").EnumerateArray().Last().GetString());
        (await api.PostJsonAsync($"/api/v1/datasets/{id}/labels", new { name = "new-class" }, HttpStatusCode.Conflict)).AssertProblem(409, "exists");
    }

    [Fact]
    public async Task Bad_labels_and_unknown_targets_get_clear_problems_and_markup_is_kept_as_plain_data()
    {
        var api = app.Api();
        var (id, items) = await DatasetAsync("hostile labels");
        var item = items[0].GetProperty("id").GetString();
        var url = $"/api/v1/datasets/{id}/items/{item}/label";

        (await (await api.PutAsJsonAsync(url, new { label = new string('x', 101) })).JsonAsync(HttpStatusCode.BadRequest)).AssertProblem(400, "too long");
        (await (await api.PutAsJsonAsync(url, new { label = "two\nlines" })).JsonAsync(HttpStatusCode.BadRequest)).AssertProblem(400, "Invalid label");
        (await api.PostJsonAsync($"/api/v1/datasets/{id}/labels/assign", new { itemIds = Array.Empty<Guid>(), label = "x" }, HttpStatusCode.BadRequest)).AssertProblem(400, "No items");
        (await api.PostJsonAsync($"/api/v1/datasets/{id}/labels/rename", new { from = "nope", to = "x" }, HttpStatusCode.NotFound)).AssertProblem(404, "not found");
        (await (await api.DeleteAsync($"/api/v1/datasets/{id}/labels/nope")).JsonAsync(HttpStatusCode.NotFound)).AssertProblem(404, "not found");

        const string markup = "<script>alert(1)</script>";
        var change = await (await api.PutAsJsonAsync(url, new { label = markup })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(markup, change.GetProperty("label").GetString());
        var classes = (await api.GetJsonAsync($"/api/v1/datasets/{id}")).GetProperty("classes").EnumerateArray().Select(c => c.GetProperty("name").GetString());
        Assert.Contains(markup, classes);

        var (viewerKey, _) = await app.CreateUserAsync(StudioRoles.Viewer);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.Api(viewerKey).PutAsJsonAsync(url, new { label = "x" })).StatusCode);
    }
}
