using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using AutoMLStudio.Core;
using AutoMLStudio.Core.Hosting;
using AutoMLStudio.Core.Registry;
using AutoMLStudio.Core.Storage;
using AutoMLStudio.Web.Components.Pages.Endpoints;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace AutoMLStudio.Web.UiTests;

/// <summary>
/// The endpoint page's Try it tab with the studio's real prediction services behind it (added before anything renders,
/// so not through <see cref="BunitTest"/>, whose constructor already renders).
/// </summary>
public sealed class TryItPanelTests : BunitContext, IAsyncLifetime
{
    public TryItPanelTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddLogging();
        Services.AddOptions<HostingOptions>();
        Services.AddSingleton(TimeProvider.System);
        Services.AddSingleton<IArtifactStore>(new FolderArtifactStore(Path.Combine(Path.GetTempPath(), "amls-tryit-artifacts")));
        Services.AddSingleton<EndpointMonitor>();
        Services.AddSingleton<HostedModels>();
        Services.AddSingleton<MonitoredPredictions>();
        Services.AddSingleton<EndpointTryOut>();
        Render<MudPopoverProvider>();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    Task IAsyncLifetime.DisposeAsync() => base.DisposeAsync().AsTask();

    [Fact]
    public void A_png_declaring_a_244_MiB_bitmap_is_refused_before_decoding_with_the_predict_routes_message()
    {
        var bomb = ZeroPng(8000, 8000);
        Assert.True(bomb.Length < 512 * 1024, $"{bomb.Length} bytes");
        var cut = Render<TryItPanel>(p => p.Add(c => c.Summary, ImageEndpoint()));

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(bomb, "huge.png", contentType: "image/png"));

        var problem = cut.WaitForElement(".try-problem", TimeSpan.FromSeconds(30)).TextContent.Trim();
        Assert.Contains("8000×8000", problem);
        Assert.Contains("40,000,000", problem);
        // The page's words are the predict route's: both read images through PredictionImages.
        Assert.Equal(Assert.Throws<UserInputException>(() => PredictionImages.Check(bomb, "huge.png")).Detail, problem);
        Assert.Empty(cut.FindAll(".try-thumb"));
        Assert.Empty(cut.FindAll(".try-error"));
    }

    private static EndpointSummary ImageEndpoint()
    {
        var model = new RegisteredModel { Name = "stripes" };
        var card = new ModelCard("stripes", 1, "image_classification", ["a", "b"],
            new ModelInput(3, 16, 16, "rgb", "scaled", [0.5f, 0.5f, 0.5f], [0.25f, 0.25f, 0.25f]), JsonDocument.Parse("{}").RootElement,
            1000, null, new ModelMetrics("accuracy", 0.9, 0.9, null), new ModelLineage(Guid.NewGuid(), null, Guid.NewGuid(), Guid.NewGuid(), 1, "test"));
        var version = new ModelVersion
        {
            ModelId = model.Id, Model = model, Version = 1, ArtifactFolder = "models/none", WeightsSha256 = "", CardJson = card.ToJson(),
        };
        return new EndpointSummary(new ModelEndpoint { Name = "stripes", ModelId = model.Id, ModelVersionId = version.Id }, model.Name, version, card);
    }

    /// <summary>A valid RGBA PNG of zeros: deflate packs its width × height × 4 bytes of pixels into a few hundred kilobytes.</summary>
    private static byte[] ZeroPng(int width, int height)
    {
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bits per channel
        header[9] = 6; // RGBA
        Chunk(png, "IHDR", header);
        using var pixels = new MemoryStream();
        using (var deflate = new ZLibStream(pixels, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var row = new byte[1 + 4 * width]; // filter byte 0, then the row's pixels
            for (var y = 0; y < height; y++) deflate.Write(row);
        }
        Chunk(png, "IDAT", pixels.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        png.Write(number);
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(number, Crc32(typed));
        png.Write(number);
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }
}
