using Microsoft.Extensions.Options;

namespace AutoMLStudio.Web.Auth;

public sealed class BootstrapOptions
{
    public const string Section = "Studio:Bootstrap";

    /// <summary>Shorter keys could be guessed; 24 characters of <c>openssl rand -hex</c> are 96 random bits.</summary>
    public const int MinApiKeyLength = 24;

    /// <summary>The first admin's password and key in appsettings.Development.json, which the README publishes.</summary>
    public const string PublishedAdminPassword = "ChangeMe-123";
    public const string PublishedApiKey = "ams_dev_key_published_change_me";

    /// <summary>When set and no admin exists, the first admin gets this API key (stored hashed).</summary>
    public string? ApiKey { get; set; }
    public string? AdminEmail { get; set; }
    public string? AdminPassword { get; set; }
}

/// <summary>Refuses to start on a bootstrap key short enough to guess, and says how to make a good one.</summary>
public sealed class BootstrapOptionsValidator : IValidateOptions<BootstrapOptions>
{
    public ValidateOptionsResult Validate(string? name, BootstrapOptions options)
    {
        var key = options.ApiKey?.Trim();
        if (string.IsNullOrEmpty(key) || key.Length >= BootstrapOptions.MinApiKeyLength) return ValidateOptionsResult.Success;
        return ValidateOptionsResult.Fail(
            $"{BootstrapOptions.Section}:ApiKey is {key.Length} characters long; a key must be at least {BootstrapOptions.MinApiKeyLength} " +
            "characters so that it cannot be guessed. Make one with `openssl rand -hex 32`, or leave the setting empty and create keys on the Admin page.");
    }
}
