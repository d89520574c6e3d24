using Microsoft.AspNetCore.Identity;

namespace AutoMLStudio.Core.Identity;

public sealed class StudioUser : IdentityUser
{
    public string? DisplayName { get; set; }
    /// <summary>Trials this person's searches may run at once (0 = no limit); null = the studio's default (Studio:Training:MaxConcurrentTrialsPerUser).</summary>
    public int? MaxConcurrentTrials { get; set; }
    /// <summary>Set on an admin created with the published default password; every page leads to a password change until it is cleared.</summary>
    public bool MustChangePassword { get; set; }
}
