using AutoMLStudio.Engine.Devices;
using AutoMLStudio.Engine.Spaces;
using AutoMLStudio.Engine.Training;

namespace AutoMLStudio.Engine.Tests.Training;

[Collection(TorchCollection.Name)]
public sealed class LatencyMeterTests
{
    [Fact]
    public void Latency_is_measured_at_batch_one_and_grows_with_the_network()
    {
        var folder = Directory.CreateTempSubdirectory("amls-latency-").FullName;
        try
        {
            double Measure(int filters, string name)
            {
                var architecture = new CnnArchitecture(1, 32, 3, [new ConvBlockSpec(filters, 5, true, true), new ConvBlockSpec(filters, 5, true, true)],
                    64, 0, [0.5f], [0.25f]);
                using var model = AutoMLStudio.Engine.Models.CnnModelFactory.Build(architecture);
                var path = Path.Combine(folder, name);
                model.save(path);
                return LatencyMeter.MedianMilliseconds(architecture, path, DeviceDetector.Resolve("cpu"), runs: 15);
            }

            var small = Measure(4, "small.weights");
            var large = Measure(128, "large.weights");

            Assert.InRange(small, 0.0001, 1000);
            Assert.True(large > small, $"128 filters took {large:0.###} ms, 4 filters {small:0.###} ms");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
