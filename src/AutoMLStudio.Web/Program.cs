using AutoMLStudio.Core;
using AutoMLStudio.Web;

var builder = WebApplication.CreateBuilder(args);
builder.AddStudioCore();
builder.AddStudioWeb();

var app = builder.Build();
await app.InitializeStudioAsync();
app.UseStudioPipeline();
app.MapStudioEndpoints();
app.Run();

public partial class Program;
