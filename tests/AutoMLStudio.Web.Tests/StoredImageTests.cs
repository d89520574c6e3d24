using System.Net;
using System.Net.Http.Headers;
using System.Text;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AutoMLStudio.Web.Tests;

/// <summary>
/// A file that is a valid PNG with a page appended, sent under an .html name, must never come back as a page: items
/// are stored under the format the decoder recognised, and every image route answers an image type that the browser
/// may not sniff or render as a document. Through the real Kestrel server, as a browser would fetch it.
/// </summary>
[Collection(StudioCollection.Name)]
public sealed class StoredImageTests : IAsyncLifetime
{
    private const string Script = "<html><body><script>window.pwned = true; document.title = 'pwned'; fetch('/pwned-by-stored-xss')</script></body></html>";

    private readonly StudioApp _app = new();
    private HttpClient _api = default!;

    public Task InitializeAsync()
    {
        _app.UseKestrel(0);
        _app.StartServer();
        _api = _app.CreateClient();
        _api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", StudioApp.AdminKey);
        Assert.True(_api.BaseAddress is { IsLoopback: true, Port: not 80 }, $"not a real server: {_api.BaseAddress}");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _api.Dispose();
        await _app.DisposeAsync();
    }

    /// <summary>A real PNG that decodes, followed by an HTML page with script.</summary>
    public static byte[] Polyglot() => [.. TestImages.Png("checker", 4242), .. Encoding.UTF8.GetBytes(Script)];

    [Fact]
    public async Task A_png_with_a_page_appended_sent_as_evil_html_is_stored_as_png_and_served_only_as_an_image()
    {
        var dataset = await _api.ImportAsync(TestImages.ClassFolderZip(perClass: 6), "polyglot stripes");
        var datasetId = dataset.GetProperty("id").GetString()!;
        var search = await _api.PostJsonAsync("/api/v1/searches", new
        {
            datasetId, algorithm = "random", seed = 5, budget = new { maxTrials = 1, maxMinutes = 5, maxEpochsPerTrial = 1 },
        }, HttpStatusCode.Created);
        var finished = await _api.WaitForSearchEndAsync(search.GetProperty("id").GetString()!);
        Assert.Equal("completed", finished.GetProperty("status").GetString());
        var model = await _api.PostJsonAsync("/api/v1/models", new { trialId = finished.GetProperty("bestTrialId").GetString(), name = "polyglot" },
            HttpStatusCode.Created);
        var endpoint = await _api.PostJsonAsync("/api/v1/endpoints", new { modelId = model.GetProperty("id").GetString(), name = "polyglot" },
            HttpStatusCode.Created);
        var endpointId = endpoint.GetProperty("id").GetString()!;

        // The test app puts every prediction under certainty 1 in the low-confidence queue (Hosting:LowConfidence = 1).
        var polyglot = Polyglot();
        using var form = new MultipartFormDataContent();
        var part = new ByteArrayContent(polyglot);
        part.Headers.ContentType = new MediaTypeHeaderValue("text/html");
        form.Add(part, "file", "evil.html");
        await (await _api.PostAsync(endpoint.GetProperty("predictUrl").GetString(), form)).JsonAsync(HttpStatusCode.OK);
        var queued = Assert.Single((await _api.GetJsonAsync($"/api/v1/endpoints/{endpointId}/low-confidence")).EnumerateArray());
        var inputId = queued.GetProperty("id").GetString();

        using (var sent = await _api.GetAsync($"/api/v1/endpoints/{endpointId}/low-confidence/{inputId}/image"))
            AssertServedAsImage(sent, "image/png");

        var result = await _api.PostJsonAsync($"/api/v1/endpoints/{endpointId}/low-confidence/send", new { ids = new[] { inputId } }, HttpStatusCode.OK);
        Assert.Equal(1, result.GetProperty("added").GetInt32());
        var item = (await _api.GetJsonAsync($"/api/v1/datasets/{datasetId}/items?unlabeled=true")).GetProperty("items").EnumerateArray()
            .Single(i => i.GetProperty("originalName").GetString()!.EndsWith("evil.html", StringComparison.Ordinal));
        var itemId = item.GetProperty("id").GetGuid();

        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var storagePath = await scope.ServiceProvider.GetRequiredService<StudioDbContext>().DatasetItems
                .Where(i => i.Id == itemId).Select(i => i.StoragePath).SingleAsync();
            Assert.Equal(".png", Path.GetExtension(storagePath));
            Assert.Equal(polyglot, await File.ReadAllBytesAsync(scope.ServiceProvider.GetRequiredService<IArtifactStore>().FullPath(storagePath!)));
        }

        using (var image = await _api.GetAsync($"/api/v1/datasets/{datasetId}/items/{itemId}/image"))
        {
            AssertServedAsImage(image, "image/png");
            Assert.Equal(polyglot, await image.Content.ReadAsByteArrayAsync());
        }
        using (var thumbnail = await _api.GetAsync($"/api/v1/datasets/{datasetId}/items/{itemId}/thumbnail"))
            AssertServedAsImage(thumbnail, "image/png");
    }

    [Fact]
    public async Task An_item_stored_earlier_under_another_extension_is_served_by_its_decoded_format_and_a_non_image_not_at_all()
    {
        var dataset = await _api.ImportAsync(TestImages.ClassFolderZip(perClass: 3), "stored earlier");
        var datasetId = dataset.GetProperty("id").GetGuid();
        Guid legacyId, brokenId;
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            // As an earlier release stored them: one polyglot under the request's .html name, and one file that is no image at all.
            var db = scope.ServiceProvider.GetRequiredService<StudioDbContext>();
            var store = scope.ServiceProvider.GetRequiredService<IArtifactStore>();
            var items = await db.DatasetItems.Where(i => i.DatasetId == datasetId).OrderBy(i => i.OriginalName).Take(2).ToListAsync();
            (legacyId, brokenId) = (items[0].Id, items[1].Id);
            File.Delete(store.FullPath(items[0].StoragePath!));
            items[0].StoragePath = ArtifactPaths.Item(datasetId, legacyId, ".html");
            await File.WriteAllBytesAsync(store.FullPath(items[0].StoragePath!), Polyglot());
            await File.WriteAllTextAsync(store.FullPath(items[1].StoragePath!), Script);
            await db.SaveChangesAsync();
        }

        using (var legacy = await _api.GetAsync($"/api/v1/datasets/{datasetId}/items/{legacyId}/image"))
            AssertServedAsImage(legacy, "image/png");

        using var broken = await _api.GetAsync($"/api/v1/datasets/{datasetId}/items/{brokenId}/image");
        Assert.Equal("application/problem+json", broken.Content.Headers.ContentType?.MediaType);
        var problem = await broken.JsonAsync(HttpStatusCode.NotFound);
        problem.AssertProblem(404, "Not an image");
        Assert.DoesNotContain("<script>", problem.GetRawText());
    }

    private static void AssertServedAsImage(HttpResponseMessage response, string type)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", csp);
        Assert.Contains("sandbox", csp);
        var disposition = response.Content.Headers.ContentDisposition;
        Assert.NotNull(disposition);
        Assert.Equal("inline", disposition.DispositionType);
        Assert.EndsWith("." + type["image/".Length..], (disposition.FileNameStar ?? disposition.FileName)!.Trim('"'));
    }
}
