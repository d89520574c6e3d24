namespace AutoMLStudio.Core.Identity;

public static class StudioRoles
{
    public const string Admin = "Admin";
    public const string TeamLead = "TeamLead";
    public const string Expert = "Expert";
    public const string Viewer = "Viewer";

    public static readonly IReadOnlyList<string> All = [Admin, TeamLead, Expert, Viewer];

    /// <summary>Roles that may change data (upload, label, train, register); a Viewer only looks.</summary>
    public const string Editors = $"{Admin},{TeamLead},{Expert}";
}
