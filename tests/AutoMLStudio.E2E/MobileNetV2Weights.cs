using System.Text;

namespace AutoMLStudio.E2E;

/// <summary>
/// A MobileNetV2 state dict as an admin brings it: torchvision's names and shapes (ImageNet's 1000-class head) in the
/// format of TorchSharp's exportsd.py, written from torchvision's layout here rather than through the studio, so the
/// journey also checks that the studio accepts the real layout. The values are He-scaled noise, not ImageNet's weights
/// (there is no internet here): enough for a network that trains.
/// </summary>
public static class MobileNetV2Weights
{
    // torchvision.models.mobilenet_v2's inverted_residual_setting: expansion t, channels c, repeats n, first stride s.
    private static readonly (int T, int C, int N)[] Settings = [(1, 16, 1), (6, 24, 2), (6, 32, 3), (6, 64, 4), (6, 96, 3), (6, 160, 3), (6, 320, 1)];

    public static void Write(string path, int seed = 1)
    {
        var tensors = new List<(string Name, int[] Shape, bool Counter)>();
        void ConvBn(string conv, string bn, int outputs, int inputsPerGroup, int kernel)
        {
            tensors.Add(($"{conv}.weight", [outputs, inputsPerGroup, kernel, kernel], false));
            foreach (var part in new[] { "weight", "bias", "running_mean", "running_var" }) tensors.Add(($"{bn}.{part}", [outputs], false));
            tensors.Add(($"{bn}.num_batches_tracked", [], true));
        }
        ConvBn("features.0.0", "features.0.1", 32, 3, 3);
        var (index, inputs) = (1, 32);
        foreach (var (t, c, n) in Settings)
        {
            for (var i = 0; i < n; i++, index++)
            {
                var hidden = inputs * t;
                var block = $"features.{index}.conv";
                if (t == 1)
                {
                    ConvBn($"{block}.0.0", $"{block}.0.1", hidden, 1, 3);
                    ConvBn($"{block}.1", $"{block}.2", c, hidden, 1);
                }
                else
                {
                    ConvBn($"{block}.0.0", $"{block}.0.1", hidden, inputs, 1);
                    ConvBn($"{block}.1.0", $"{block}.1.1", hidden, 1, 3);
                    ConvBn($"{block}.2", $"{block}.3", c, hidden, 1);
                }
                inputs = c;
            }
        }
        ConvBn($"features.{index}.0", $"features.{index}.1", 1280, inputs, 1);
        tensors.Add(("classifier.1.weight", [1000, 1280], false));
        tensors.Add(("classifier.1.bias", [1000], false));

        var random = new Random(seed);
        using var stream = File.Create(path);
        Leb128(stream, (ulong)tensors.Count);
        foreach (var (name, shape, counter) in tensors)
        {
            Leb128(stream, (ulong)name.Length);
            stream.Write(Encoding.UTF8.GetBytes(name));
            Leb128(stream, counter ? 4UL : 6UL); // int64 or float32, exportsd's element types
            Leb128(stream, (ulong)shape.Length);
            foreach (var dim in shape) Leb128(stream, (ulong)dim);
            if (counter)
            {
                stream.Write(new byte[8]);
                continue;
            }
            var count = shape.Aggregate(1, (a, b) => a * b);
            var fanIn = shape.Length > 1 ? shape.Skip(1).Aggregate(1, (a, b) => a * b) : 0;
            // Uniform noise with He's standard deviation for weights; batch norms as freshly initialised: scale and variance 1, shift and mean 0.
            var bound = Math.Sqrt(3 * 2.0 / Math.Max(1, fanIn));
            var one = name.EndsWith(".running_var", StringComparison.Ordinal) || (shape.Length == 1 && name.EndsWith(".weight", StringComparison.Ordinal));
            var values = new byte[count * 4];
            for (var i = 0; i < count; i++)
            {
                var value = fanIn > 0 ? (float)((random.NextDouble() * 2 - 1) * bound) : one ? 1f : 0f;
                BitConverter.TryWriteBytes(values.AsSpan(i * 4), value);
            }
            stream.Write(values);
        }
    }

    private static void Leb128(Stream stream, ulong value)
    {
        do
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            stream.WriteByte(value != 0 ? (byte)(b | 0x80) : b);
        } while (value != 0);
    }
}
