using AutoMLStudio.Engine.Devices;

namespace AutoMLStudio.Engine.Tests.Devices;

[Collection(TorchCollection.Name)]
public sealed class DeviceDetectorTests
{
    [Fact]
    public void Detect_always_lists_the_cpu_first_with_its_queue_and_memory()
    {
        var devices = DeviceDetector.Detect();

        var cpu = devices[0];
        Assert.Equal("cpu", cpu.Id);
        Assert.Equal("cpu", cpu.Queue);
        Assert.False(string.IsNullOrWhiteSpace(cpu.Name));
        Assert.True(cpu.MemoryBytes > 0);
        Assert.All(devices.Skip(1), d => Assert.StartsWith("gpu-", d.Queue));
    }
}
