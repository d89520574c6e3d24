using AutoMLStudio.Core;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Hosting;
using AutoMLStudio.Core.Storage;
using AutoMLStudio.Web.Components.Pages.Endpoints;
using AutoMLStudio.Web.Components.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MudBlazor;
using MudBlazor.Services;

namespace AutoMLStudio.Web.UiTests;

/// <summary>A user's action that fails for a reason that is not theirs: the page says so and stays usable, the log has the cause.</summary>
public sealed class PageActionTests : BunitContext, IAsyncLifetime
{
    private readonly LogSink _logs = new();

    public PageActionTests()
    {
        // The database file lies in a folder that does not exist, so SQLite cannot open it: a server fault, not a user's mistake.
        var missing = Path.Combine(Path.GetTempPath(), "amls-missing-" + Guid.NewGuid().ToString("N"), "studio.db");
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddLogging(logging => logging.AddProvider(_logs));
        Services.AddOptions<StudioOptions>();
        Services.AddDbContext<StudioDbContext>(options => options.UseSqlite($"Data Source={missing};Mode=ReadWrite"));
        Services.AddSingleton<IArtifactStore>(new FolderArtifactStore(Path.Combine(Path.GetTempPath(), "amls-action-artifacts")));
        Services.AddSingleton(TimeProvider.System);
        Services.AddSingleton<EndpointMonitor>();
        Services.AddScoped<SendToDataset>();
        Render<MudPopoverProvider>();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    Task IAsyncLifetime.DisposeAsync() => base.DisposeAsync().AsTask();

    [Fact]
    public void Sending_inputs_when_the_database_cannot_be_opened_shows_a_plain_error_and_logs_the_cause()
    {
        var input = new LowConfidenceInput(Guid.NewGuid(), DateTimeOffset.UtcNow, "cat", 0.4, "unsure.png", null, "{\"x\":1}");
        var cut = Render<LowConfidenceQueue>(p => p
            .Add(c => c.EndpointId, Guid.NewGuid())
            .Add(c => c.Inputs, [input])
            .Add(c => c.CanEdit, true));
        cut.Find(".select-all-low-confidence").Click();

        cut.Find(".send-to-dataset").Click();

        var error = cut.WaitForElement(".send-error").TextContent;
        Assert.Contains(StudioComponentBase.Unexpected.Title, error);
        Assert.Contains(StudioComponentBase.Unexpected.Detail, error);
        // Usable again: the button is back for another try.
        Assert.False(cut.Find(".send-to-dataset").HasAttribute("disabled"));
        Assert.Contains(_logs.Entries, e => e.Level == LogLevel.Error && e.Exception is Microsoft.Data.Sqlite.SqliteException);
    }
}
