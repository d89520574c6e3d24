namespace AutoMLStudio.Web.Auth;

/// <summary>
/// Limits on guessing passwords at the sign-in form: attempts per client address (a fixed window of the rate limiter,
/// whatever the accounts tried) and failed attempts per account (Identity's lockout, whatever the addresses).
/// </summary>
public sealed class SignInThrottleOptions
{
    public const string Section = "Studio:SignIn";

    public int AttemptsPerAddress { get; set; } = 20;
    public int WindowSeconds { get; set; } = 60;
    public int MaxFailedAttempts { get; set; } = 10;
    public int LockoutMinutes { get; set; } = 5;

    public bool IsValid => AttemptsPerAddress > 0 && WindowSeconds > 0 && MaxFailedAttempts > 0 && LockoutMinutes > 0;
}
