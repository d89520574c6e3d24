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
using AutoMLStudio.Tests.Shared;

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
        var bomb = ZeroPng.Of(8000, 8000);
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

    internal static EndpointSummary ImageEndpoint()
    {
        var card = new ModelCard("stripes", 1, Core.Searches.SearchTask.ImageClassification, ["a", "b"],
            new ModelInput(3, 16, 16, "rgb", "scaled", [0.5f, 0.5f, 0.5f], [0.25f, 0.25f, 0.25f]), JsonDocument.Parse("{}").RootElement,
            1000, null, new ModelMetrics("accuracy", 0.9, 0.9, null), new ModelLineage(Guid.NewGuid(), null, Guid.NewGuid(), Guid.NewGuid(), 1, "test"));
        return new EndpointSummary(new EndpointView(Guid.NewGuid(), "stripes", Guid.NewGuid(), "stripes", Guid.NewGuid(), 1, ModelStage.None, card, DateTimeOffset.UtcNow, null));
    }
}
