using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using AutoMLStudio.Engine.Backbones;
using AutoMLStudio.Engine.Native;

namespace AutoMLStudio.Web.Tests;

/// <summary>An admin imports pretrained weights; every tensor is checked, and a file that does not fit is refused with the reason and changes nothing.</summary>
[Collection(StudioCollection.Name)]
public sealed class BackboneImportTests(StudioApp app)
{
    [Fact]
    public async Task Admin_imports_mobilenet_weights_and_files_that_do_not_fit_are_refused_with_what_is_wrong()
    {
        var api = app.Api();
        var weights = MobileNetWeights();
        var imported = await (await ImportAsync(api, weights, "mobilenet_v2.dat", "mobilenet_v2")).JsonAsync(HttpStatusCode.Created);
        Assert.Equal("mobilenet_v2", imported.GetProperty("architecture").GetString());
        Assert.Equal(3_504_872, imported.GetProperty("parameters").GetInt64());
        Assert.Equal(1000, imported.GetProperty("headClasses").GetInt32());
        var sha = imported.GetProperty("sha256").GetString();
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(weights)), sha);
        Assert.Equal("backbone.imported", (await api.GetJsonAsync("/api/v1/admin/audit?take=1")).EnumerateArray().Single().GetProperty("action").GetString());

        var wrong = await (await ImportAsync(api, weights, "mobilenet_v2.dat", "resnet18")).JsonAsync(HttpStatusCode.BadRequest);
        wrong.AssertProblem(400, "Weights do not fit");
        Assert.Contains("mobilenet_v2", wrong.GetProperty("detail").GetString());
        Assert.Contains("mobilenet_v2.dat", wrong.GetProperty("detail").GetString());
        (await (await ImportAsync(api, "not a state dict at all"u8.ToArray(), "junk.dat", "mobilenet_v2")).JsonAsync(HttpStatusCode.BadRequest))
            .AssertProblem(400, "Not a weights file");
        (await (await ImportAsync(api, weights[..(weights.Length / 2)], "truncated.dat", "mobilenet_v2")).JsonAsync(HttpStatusCode.BadRequest))
            .AssertProblem(400, "Not a weights file");
        (await (await ImportAsync(api, weights, "mobilenet_v2.dat", "vgg16")).JsonAsync(HttpStatusCode.BadRequest)).AssertProblem(400, "Unknown architecture");
        var (expert, _) = await app.CreateUserAsync(Core.Identity.StudioRoles.Expert);
        Assert.Equal(HttpStatusCode.Forbidden, (await ImportAsync(app.Api(expert), weights, "mobilenet_v2.dat", "mobilenet_v2")).StatusCode);

        // The refused files changed nothing: the imported weights are still the ones in place.
        var listed = (await api.GetJsonAsync("/api/v1/backbones")).EnumerateArray().Single(b => b.GetProperty("architecture").GetString() == "mobilenet_v2");
        Assert.Equal(sha, listed.GetProperty("sha256").GetString());
        Assert.Equal(weights, await File.ReadAllBytesAsync(Path.Combine(app.DataDir, "artifacts", "backbones", "mobilenet_v2.dat")));
        Assert.Empty(Directory.GetFiles(Path.Combine(app.DataDir, "artifacts", "backbones"), "*.upload"));

        // Removed, it is gone from the list and the disk (other tests of this studio search without it); only admins remove.
        Assert.Equal(HttpStatusCode.Forbidden, (await app.Api(expert).DeleteAsync("/api/v1/backbones/mobilenet_v2")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync("/api/v1/backbones/mobilenet_v2")).StatusCode);
        Assert.DoesNotContain((await api.GetJsonAsync("/api/v1/backbones")).EnumerateArray(), b => b.GetProperty("architecture").GetString() == "mobilenet_v2");
        Assert.False(File.Exists(Path.Combine(app.DataDir, "artifacts", "backbones", "mobilenet_v2.dat")));
        Assert.Equal("backbone.removed", (await api.GetJsonAsync("/api/v1/admin/audit?take=1")).EnumerateArray().Single().GetProperty("action").GetString());
        (await (await api.DeleteAsync("/api/v1/backbones/mobilenet_v2")).JsonAsync(HttpStatusCode.NotFound)).AssertProblem(404, "Backbone not found");
    }

    internal static Task<HttpResponseMessage> ImportAsync(HttpClient api, byte[] content, string fileName, string architecture)
    {
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var form = new MultipartFormDataContent { { file, "file", fileName }, { new StringContent(architecture), "architecture" } };
        return api.PostAsync("/api/v1/backbones", form);
    }

    // TorchSharp's own save writes the format exportsd.py writes from a torchvision state dict: what an admin uploads.
    internal static byte[] MobileNetWeights()
    {
        TorchNative.EnsureLoaded();
        var path = Path.Combine(Path.GetTempPath(), $"amls-mobilenet-{Guid.NewGuid():N}.dat");
        try
        {
            using (var model = BackboneFactory.Build(new BackboneSpec(BackboneArchitectures.MobileNetV2, 3, 64, 1000))) model.save(path);
            return File.ReadAllBytes(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
