using System.Text;

namespace AutoMLStudio.Engine.Native;

/// <summary>Answers which symbol versions the system's <c>libstdc++.so.6</c> defines.</summary>
public static class SystemLibStdCxx
{
    private static readonly Lazy<byte[]?> Bytes = new(() => Locate() is { } path ? File.ReadAllBytes(path) : null);

    public static string? Locate()
    {
        var fromMaps = File.Exists("/proc/self/maps")
            ? File.ReadLines("/proc/self/maps").Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Where(p => p.Length >= 6 && p[^1].Contains("libstdc++.so.6")).Select(p => p[^1]).FirstOrDefault()
            : null;
        if (fromMaps is not null && File.Exists(fromMaps)) return fromMaps;

        var searchPath = (Environment.GetEnvironmentVariable("LD_LIBRARY_PATH") ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64", "/usr/lib", "/lib"]);
        return searchPath.Select(d => Path.Combine(d, "libstdc++.so.6")).FirstOrDefault(File.Exists);
    }

    // A version a library defines appears as a NUL-terminated name in its dynamic string table; an exact match with
    // both terminators is specific enough (GLIBCXX_3.4.3 must not match GLIBCXX_3.4.32).
    public static bool Provides(string version)
    {
        var bytes = Bytes.Value;
        if (bytes is null) return false;
        var needle = Encoding.ASCII.GetBytes("\0" + version + "\0");
        return bytes.AsSpan().IndexOf(needle) >= 0;
    }
}
