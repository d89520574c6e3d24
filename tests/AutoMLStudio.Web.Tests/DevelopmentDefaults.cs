using System.Text.Json;

namespace AutoMLStudio.Web.Tests;

/// <summary>The published first admin and key of <c>dotnet run</c>, read from the very file a developer's studio uses.</summary>
public sealed record DevelopmentDefaults(string Email, string Password, string ApiKey)
{
    public static DevelopmentDefaults Read()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AutoMLStudio.sln"))) dir = dir.Parent;
        var file = Path.Combine(dir!.FullName, "src", "AutoMLStudio.Web", "appsettings.Development.json");
        var bootstrap = JsonDocument.Parse(File.ReadAllText(file)).RootElement.GetProperty("Studio").GetProperty("Bootstrap");
        return new(bootstrap.GetProperty("AdminEmail").GetString()!, bootstrap.GetProperty("AdminPassword").GetString()!,
            bootstrap.GetProperty("ApiKey").GetString()!);
    }
}
