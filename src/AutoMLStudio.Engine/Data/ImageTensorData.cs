namespace AutoMLStudio.Engine.Data;

/// <summary>
/// An in-memory image set: planar pixels <c>float[N * C * S * S]</c> in [0, 1] and class indices <c>int[N]</c>.
/// Plain arrays, not tensors, so a dataset never pins native memory between trials.
/// </summary>
public sealed class ImageTensorData
{
    /// <summary>Wraps the arrays (no copy).</summary>
    public ImageTensorData(float[] pixels, int[] labels, int channels, int size)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        if (pixels.LongLength != (long)labels.Length * channels * size * size)
            throw new ArgumentException(
                $"Expected {labels.Length} x {channels} x {size} x {size} pixels, got {pixels.LongLength}.", nameof(pixels));
        Pixels = pixels;
        Labels = labels;
        Channels = channels;
        Size = size;
    }

    /// <summary>Number of images.</summary>
    public int Count => Labels.Length;

    /// <summary>Channels per image (1 or 3).</summary>
    public int Channels { get; }

    /// <summary>Side of the square images.</summary>
    public int Size { get; }

    /// <summary>Planar pixels, image after image.</summary>
    public float[] Pixels { get; }

    /// <summary>Class index of each image.</summary>
    public int[] Labels { get; }

    /// <summary>Floats per image: <c>Channels * Size * Size</c>.</summary>
    public int ImageLength => Channels * Size * Size;

    /// <summary>A copy holding the images at <paramref name="indices"/>, in that order.</summary>
    public ImageTensorData Subset(IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        var length = ImageLength;
        var pixels = new float[indices.Count * length];
        var labels = new int[indices.Count];
        for (var i = 0; i < indices.Count; i++)
        {
            var source = indices[i];
            if ((uint)source >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(indices), source, "Index outside the data set.");
            Array.Copy(Pixels, (long)source * length, pixels, (long)i * length, length);
            labels[i] = Labels[source];
        }
        return new ImageTensorData(pixels, labels, Channels, Size);
    }

    /// <summary>Per-channel mean and standard deviation of the pixels (std floored at 1e-3 to avoid dividing by zero).</summary>
    public (float[] Mean, float[] Std) ChannelStatistics()
    {
        var plane = Size * Size;
        var mean = new float[Channels];
        var std = new float[Channels];
        for (var c = 0; c < Channels; c++)
        {
            double sum = 0, sumSq = 0;
            for (var n = 0; n < Count; n++)
            {
                var offset = (long)n * ImageLength + (long)c * plane;
                for (var i = 0; i < plane; i++)
                {
                    double v = Pixels[offset + i];
                    sum += v;
                    sumSq += v * v;
                }
            }
            var total = Math.Max(1.0, (double)Count * plane);
            var m = sum / total;
            mean[c] = (float)m;
            std[c] = (float)Math.Max(1e-3, Math.Sqrt(Math.Max(0, sumSq / total - m * m)));
        }
        return (mean, std);
    }
}
