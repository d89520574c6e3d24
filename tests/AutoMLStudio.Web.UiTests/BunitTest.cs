using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace AutoMLStudio.Web.UiTests;

/// <summary>A bUnit context with MudBlazor's services and a popover provider, as the app's layout gives every page.</summary>
public abstract class BunitTest : BunitContext, IAsyncLifetime
{
    protected BunitTest()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Render<MudPopoverProvider>();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    // Some MudBlazor services are only IAsyncDisposable; xUnit 2 would otherwise dispose the container synchronously and fail.
    Task IAsyncLifetime.DisposeAsync() => base.DisposeAsync().AsTask();
}
