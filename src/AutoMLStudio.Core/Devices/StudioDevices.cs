using AutoMLStudio.Engine.Devices;

namespace AutoMLStudio.Core.Devices;

/// <summary>The compute devices of this node, detected once; each is a job queue.</summary>
public sealed class StudioDevices
{
    private readonly Lazy<IReadOnlyList<ComputeDevice>> _devices = new(DeviceDetector.Detect);

    public IReadOnlyList<ComputeDevice> All => _devices.Value;

    /// <summary>New searches go to the first GPU where there is one, else to the CPU.</summary>
    public string DefaultQueue => All.FirstOrDefault(d => d.Queue != "cpu")?.Queue ?? "cpu";

    public IReadOnlyList<string> Queues => All.Select(d => d.Queue).ToList();

    public string DeviceIdFor(string queue) => All.FirstOrDefault(d => d.Queue == queue)?.Id ?? "cpu";

    public TorchSharp.torch.Device TorchDeviceFor(string queue) => DeviceDetector.Resolve(DeviceIdFor(queue));
}
