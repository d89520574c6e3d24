using System.Security.Cryptography;
using System.Text;

namespace AutoMLStudio.Core.Identity;

/// <summary>Making and checking API key secrets: <c>ams_</c> + random text; only a SHA-256 hash is kept.</summary>
public static class ApiKeySecrets
{
    public const string Marker = "ams_";
    public const int PrefixLength = 12;

    public static string NewSecret() =>
        Marker + Convert.ToBase64String(RandomNumberGenerator.GetBytes(30)).Replace('+', 'x').Replace('/', 'y').TrimEnd('=');

    public static string PrefixOf(string secret) => secret.Length <= PrefixLength ? secret : secret[..PrefixLength];

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    public static bool Matches(string secret, byte[] storedHash) =>
        CryptographicOperations.FixedTimeEquals(Hash(secret), storedHash);
}
