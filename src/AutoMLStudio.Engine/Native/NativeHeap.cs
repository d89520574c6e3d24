using System.Runtime.InteropServices;

namespace AutoMLStudio.Engine.Native;

/// <summary>The C heap that libtorch allocates tensors from.</summary>
public static class NativeHeap
{
    /// <summary>
    /// Hands freed native memory back to the operating system (glibc's <c>malloc_trim</c>); a no-op where there is no
    /// glibc. Without it, glibc keeps the pages of every trial's freed activations and gradients in its arenas (one per
    /// thread the trial ran on), so resident memory climbs trial after trial although every tensor was disposed:
    /// measured 508 MB at trial 2 and 866 MB at trial 30 of one search; with a trim after each trial, 449 and 338 MB.
    /// Call it after a trial, when its tensors are gone.
    /// </summary>
    public static void ReleaseFreed()
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            malloc_trim(0);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            // musl and other C libraries return freed memory on their own, or have no such call.
        }
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int malloc_trim(nuint pad);
}
