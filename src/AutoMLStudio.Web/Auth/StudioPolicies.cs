using AutoMLStudio.Core.Identity;
using Microsoft.AspNetCore.Authorization;

namespace AutoMLStudio.Web.Auth;

public static class StudioPolicies
{
    /// <summary>May change data: upload, label, train, register.</summary>
    public const string Editor = "Editor";
    public const string Admin = "Admin";

    public static void Add(AuthorizationOptions options)
    {
        options.AddPolicy(Editor, p => p.RequireAuthenticatedUser().RequireRole(StudioRoles.Admin, StudioRoles.TeamLead, StudioRoles.Expert));
        options.AddPolicy(Admin, p => p.RequireAuthenticatedUser().RequireRole(StudioRoles.Admin));
    }
}
