using AutoMLStudio.Core;
using AutoMLStudio.Web;

var builder = WebApplication.CreateBuilder(args);
builder.AddStudioCore();
builder.AddStudioWeb();

var app = builder.Build();
if (args.Contains("--migrate-only"))
{
    // For operators who apply schema changes by hand before starting the new release (docs/deployment.md).
    await app.MigrateDatabaseAsync();
    return;
}
await app.InitializeStudioAsync();
app.UseStudioPipeline();
app.MapStudioEndpoints();
app.Run();

public partial class Program;
