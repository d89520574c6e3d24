namespace AutoMLStudio.Web.Auth;

public sealed class BootstrapOptions
{
    public const string Section = "Studio:Bootstrap";

    /// <summary>When set and no admin exists, the first admin gets this API key (stored hashed).</summary>
    public string? ApiKey { get; set; }
    public string? AdminEmail { get; set; }
    public string? AdminPassword { get; set; }
}
