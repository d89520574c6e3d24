using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using TorchSharp;

namespace AutoMLStudio.Engine.Native;

/// <summary>How the TorchSharp native library was made loadable.</summary>
public sealed record TorchLoadResult(bool Patched, string LibraryPath, string Detail);

/// <summary>
/// Loads TorchSharp's native library before TorchSharp initialises itself. On distributions whose libstdc++ is
/// older than GCC 13 (Debian 12) the stock <c>libLibTorchSharp.so</c> refuses to load because it declares a need for
/// <c>GLIBCXX_3.4.32</c> for a symbol it never calls; there we load a copy with that one requirement marked weak.
/// </summary>
public static class TorchNative
{
    private const string LibraryFile = "libLibTorchSharp.so";
    private static readonly HashSet<string> WeakenableVersions = ["GLIBCXX_3.4.32"];
    private static readonly Lock Gate = new();
    private static TorchLoadResult? _result;

    /// <summary>
    /// Makes TorchSharp usable; safe to call many times and from many threads. <paramref name="patchRoot"/> is where a
    /// patched copy is kept (default: the system temp folder).
    /// </summary>
    public static TorchLoadResult EnsureLoaded(string? patchRoot = null)
    {
        lock (Gate)
        {
            if (_result is not null) return _result;
            _result = Load(patchRoot ?? Path.Combine(Path.GetTempPath(), "automlstudio-native"));
            // Touch the backend so a failure shows here, at start-up, rather than in the first trial.
            torch.InitializeDeviceType(DeviceType.CPU);
            return _result;
        }
    }

    private static TorchLoadResult Load(string patchRoot)
    {
        if (!OperatingSystem.IsLinux())
            return new TorchLoadResult(false, LibraryFile, "Not Linux: TorchSharp loads its library itself.");

        var original = FindOriginal();
        var bytes = File.ReadAllBytes(original);
        var missing = VersionsToWeaken(ElfVersionNeedPatcher.StrongRequirements(bytes), SystemLibStdCxx.Provides);
        if (missing.Count == 0)
        {
            NativeLibrary.Load(original);
            return new TorchLoadResult(false, original, "System libstdc++ is new enough; loaded unchanged.");
        }

        ElfVersionNeedPatcher.MarkWeak(bytes, missing);
        var folder = PreparePatchedFolder(patchRoot, Path.GetDirectoryName(original)!, bytes);
        var patched = Path.Combine(folder, LibraryFile);
        NativeLibrary.Load(patched);
        return new TorchLoadResult(true, patched,
            $"System libstdc++ lacks {string.Join(", ", missing)}; loaded a copy with that requirement marked weak.");
    }

    /// <summary>
    /// The requirements to mark weak: only those we know are never called, and only where the system lacks them;
    /// an empty set means the library loads unchanged.
    /// </summary>
    public static IReadOnlySet<string> VersionsToWeaken(IEnumerable<string> strongRequirements, Func<string, bool> systemProvides) =>
        strongRequirements.Where(WeakenableVersions.Contains).Where(v => !systemProvides(v)).ToHashSet();

    private static string FindOriginal()
    {
        var baseDir = AppContext.BaseDirectory;
        string[] candidates =
        [
            Path.Combine(baseDir, LibraryFile),
            Path.Combine(baseDir, "runtimes", "linux-x64", "native", LibraryFile),
            Path.Combine(Path.GetDirectoryName(typeof(torch).Assembly.Location) ?? baseDir, LibraryFile),
        ];
        return candidates.FirstOrDefault(File.Exists)
               ?? throw new FileNotFoundException(
                   $"{LibraryFile} was not found next to the application ({baseDir}). Reference the libtorch native package.");
    }

    // The patched copy sits beside symbolic links to the very libtorch files of the build output: libtorch must be
    // loaded once, from one inode, or it aborts registering its backends twice.
    private static string PreparePatchedFolder(string patchRoot, string nativeDir, byte[] patchedBytes)
    {
        var key = Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(nativeDir)))[..16]
                  + "-" + Convert.ToHexString(SHA256.HashData(patchedBytes))[..16];
        var folder = Path.Combine(patchRoot, key);
        Directory.CreateDirectory(folder);

        foreach (var file in Directory.EnumerateFiles(nativeDir, "*.so*"))
        {
            var name = Path.GetFileName(file);
            if (name == LibraryFile) continue;
            var link = Path.Combine(folder, name);
            if (File.Exists(link) || Directory.Exists(link)) continue;
            try { File.CreateSymbolicLink(link, file); }
            catch (IOException) when (File.Exists(link)) { } // another process made it first
        }

        var target = Path.Combine(folder, LibraryFile);
        if (!File.Exists(target) || !File.ReadAllBytes(target).AsSpan().SequenceEqual(patchedBytes))
        {
            var temp = target + "." + Guid.NewGuid().ToString("N") + ".tmp";
            File.WriteAllBytes(temp, patchedBytes);
            File.Move(temp, target, overwrite: true);
        }
        return folder;
    }
}
