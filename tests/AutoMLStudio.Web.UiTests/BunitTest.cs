using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace AutoMLStudio.Web.UiTests;

/// <summary>A bUnit context with MudBlazor's services and a popover provider, as the app's layout gives every page.</summary>
public abstract class BunitTest : BunitContext
{
    protected BunitTest()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Render<MudPopoverProvider>();
    }
}
