using AutoMLStudio.Engine.Devices;
using AutoMLStudio.Engine.Native;

namespace AutoMLStudio.Core.Devices;

/// <summary>A device of this node as the host serves it: its job queue and how many trials train on it at once.</summary>
public sealed record DeviceQueue(string Queue, int Slots);

/// <summary>What the host needs of this node's native libraries and devices before it registers its job servers.</summary>
public static class NodeCompute
{
    /// <summary>
    /// Loads libtorch, patching a copy in the data folder where the system's libstdc++ needs it; returns what was done,
    /// for the log. Safe to call more than once.
    /// </summary>
    public static string LoadNative(StudioOptions studio)
    {
        ArgumentNullException.ThrowIfNull(studio);
        return TorchNative.EnsureLoaded(Path.Combine(Path.GetFullPath(studio.DataDir), "native")).Detail;
    }

    /// <summary>The devices of this node with their slots; loads libtorch first, as detecting GPUs needs it.</summary>
    public static IReadOnlyList<DeviceQueue> DeviceQueues(StudioOptions studio)
    {
        LoadNative(studio);
        return [.. DeviceDetector.Detect().Select(d => new DeviceQueue(d.Queue, studio.Training.SlotsOf(d.Id)))];
    }
}
