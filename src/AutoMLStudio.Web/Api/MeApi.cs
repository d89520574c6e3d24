using System.Security.Claims;

namespace AutoMLStudio.Web.Api;

public sealed record MeDto(string? UserId, string? Name, IReadOnlyList<string> Roles);

public static class MeApi
{
    /// <summary>Lets a program check its key (and the load benchmark measure a call that does nothing but authenticate).</summary>
    public static void MapMeApi(this RouteGroupBuilder api) =>
        api.MapGet("/me", (ClaimsPrincipal user) => new MeDto(user.FindFirstValue(ClaimTypes.NameIdentifier), user.Identity?.Name,
                [.. user.FindAll(ClaimTypes.Role).Select(r => r.Value)]))
            .WithTags("API keys").WithSummary("Who the API key or session belongs to, with their roles");
}
