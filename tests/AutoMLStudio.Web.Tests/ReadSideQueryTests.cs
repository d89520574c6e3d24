using System.Net;
using AutoMLStudio.Core;
using AutoMLStudio.Core.Datasets;
using AutoMLStudio.Core.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace AutoMLStudio.Web.Tests;

/// <summary>Core's read side for datasets and API keys, which pages and API routes now share.</summary>
[Collection(StudioCollection.Name)]
public sealed class ReadSideQueryTests(StudioApp app)
{
    [Fact]
    public async Task Dataset_queries_read_what_the_api_answers_filtered_and_paged()
    {
        var api = app.Api();
        var json = await api.ImportAsync(TestImages.ClassFolderZip(4), "read side");
        var id = Guid.Parse(json.GetProperty("id").GetString()!);
        var apiClasses = json.Classes();
        Assert.True(apiClasses.Count >= 2);

        using var scope = app.Services.CreateScope();
        var datasets = scope.ServiceProvider.GetRequiredService<DatasetQueries>();

        var view = await datasets.GetAsync(id, CancellationToken.None);
        Assert.Equal(DatasetStatus.Ready, view.Status);
        Assert.Equal(apiClasses, view.Classes.ToDictionary(c => c.Name, c => c.Count));
        Assert.Equal(apiClasses.Keys.Order(StringComparer.Ordinal), view.Classes.Select(c => c.Name));
        Assert.Equal(json.GetProperty("itemCount").GetInt32(), view.ItemCount);

        var (label, count) = apiClasses.First();
        var page = await datasets.ItemsAsync(id, label, unlabeled: false, suspect: false, order: null, skip: 1, take: 2, CancellationToken.None);
        Assert.Equal(count, page.Total);
        Assert.Equal(2, page.Items.Count);
        Assert.All(page.Items, i => Assert.Equal(label, i.Label));
        var apiPage = await api.GetJsonAsync($"/api/v1/datasets/{id}/items?label={label}&skip=1&take=2");
        Assert.Equal(apiPage.GetProperty("items").EnumerateArray().Select(i => Guid.Parse(i.GetProperty("id").GetString()!)), page.Items.Select(i => i.Id));

        Assert.Empty(await datasets.ItemIdsAsync(id, new ItemFilter(Unlabeled: true), CancellationToken.None));
        Assert.Equal(view.ItemCount, (await datasets.ItemIdsAsync(id, new ItemFilter(), CancellationToken.None)).Count);

        var summary = Assert.Single((await datasets.SummariesAsync(CancellationToken.None)), d => d.Id == id);
        Assert.Equal(apiClasses.Count, summary.LabelValues);

        Assert.Null(await datasets.FindAsync(Guid.NewGuid(), CancellationToken.None));
        var missing = await Assert.ThrowsAsync<UserInputException>(() => datasets.VersionsAsync(Guid.NewGuid(), PageRequest.All, CancellationToken.None));
        Assert.Equal(404, missing.Status);
        var badOrder = await Assert.ThrowsAsync<UserInputException>(() =>
            datasets.ItemsAsync(id, null, false, false, "random", null, null, CancellationToken.None));
        Assert.Equal(400, badOrder.Status);
    }

    [Fact]
    public async Task An_api_key_matches_its_own_secret_only_until_it_is_revoked()
    {
        var (key, userId) = await app.CreateUserAsync(StudioRoles.Expert);
        using var scope = app.Services.CreateScope();
        var keys = scope.ServiceProvider.GetRequiredService<ApiKeyQueries>();

        var match = await keys.MatchAsync(key, CancellationToken.None);
        Assert.NotNull(match);
        Assert.Equal(userId, match.UserId);
        Assert.Null(await keys.MatchAsync(key[..^1] + (key[^1] == 'a' ? 'b' : 'a'), CancellationToken.None));
        var mine = await keys.OfUserAsync(userId, PageRequest.All, CancellationToken.None);
        Assert.Equal(match.KeyId, Assert.Single(mine.Items).Id);

        var revoked = await app.Api(key).DeleteAsync($"/api/v1/apikeys/{match.KeyId}");
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        Assert.Null(await keys.MatchAsync(key, CancellationToken.None));
    }
}
