using Microsoft.AspNetCore.Identity;

namespace AutoMLStudio.Core.Identity;

public sealed class StudioUser : IdentityUser
{
    public string? DisplayName { get; set; }
}
