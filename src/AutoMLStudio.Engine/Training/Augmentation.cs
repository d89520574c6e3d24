using AutoMLStudio.Engine.Spaces;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoMLStudio.Engine.Training;

/// <summary>
/// Augments training batches on the device, as tensors: a few whole-batch operations per batch, so it costs little
/// next to the forward pass. Every random choice comes from one seeded <see cref="Random"/> (one per epoch in the
/// trainer), drawn on the CPU in a fixed order, so the same seed gives the same images on any device, and a run
/// resumed at an epoch draws what an uninterrupted one would.
/// </summary>
/// <param name="settings">What to apply.</param>
/// <param name="fill">Per-channel value of erased rectangles: the data mean, which the model normalises to 0.</param>
/// <param name="seed">Seeds the draws.</param>
public sealed class Augmentation(AugmentationSettings settings, float[] fill, int seed)
{
    private const double MinErasedArea = 0.02, MaxErasedArea = 0.25, MaxErasedAspect = 3.3;
    private readonly Random _rng = new(seed);

    /// <summary>
    /// The augmented batch <paramref name="x"/> [N, C, H, W] of pixels in [0, 1]: each image is mirrored with
    /// probability 0.5 (when on), shifted by a random crop of its edge-padded copy, and with the erasing probability gets
    /// one rectangle (2% to 25% of its area, aspect 1:3.3 to 3.3:1) set to <paramref name="fill"/>. Call inside the
    /// batch's dispose scope: the tensors made here belong to it.
    /// </summary>
    public Tensor Apply(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (!settings.IsActive) return x;
        var (n, height, width) = ((int)x.shape[0], (int)x.shape[2], (int)x.shape[3]);
        if (settings.HorizontalFlip) x = Flip(x, n);
        if (settings.CropPadding > 0) x = Crop(x, n, height, width, settings.CropPadding);
        if (settings.ErasingProbability > 0) x = Erase(x, n, height, width);
        return x;
    }

    private Tensor Flip(Tensor x, int n)
    {
        var mask = new bool[n];
        for (var i = 0; i < n; i++) mask[i] = _rng.Next(2) == 0;
        return torch.where(torch.tensor(mask, [n, 1, 1, 1], device: x.device), x.flip(3), x);
    }

    // One gather picks each image's window out of the padded batch: index = (top + row) * paddedWidth + (left + column).
    private Tensor Crop(Tensor x, int n, int height, int width, int padding)
    {
        var paddedWidth = width + 2 * padding;
        var index = new long[n * height * width];
        for (var i = 0; i < n; i++)
        {
            var top = _rng.Next(2 * padding + 1);
            var left = _rng.Next(2 * padding + 1);
            for (var row = 0; row < height; row++)
            for (var column = 0; column < width; column++)
                index[(i * height + row) * width + column] = (long)(top + row) * paddedWidth + left + column;
        }
        var channels = x.shape[1];
        // Edge pixels, not zeros: a zero is far outside the data where a channel barely varies (its std is tiny), and
        // the normalised border would swamp the image. Images with dark borders, such as Fashion-MNIST, pad dark anyway.
        var padded = nn.functional.pad(x, [padding, padding, padding, padding], PaddingModes.Replicate).reshape(n, channels, -1);
        var gather = torch.tensor(index, [n, 1, height * width], device: x.device).expand(n, channels, height * width);
        return padded.gather(2, gather).reshape(n, channels, height, width);
    }

    private Tensor Erase(Tensor x, int n, int height, int width)
    {
        var mask = new bool[n * height * width];
        for (var i = 0; i < n; i++)
        {
            if (_rng.NextDouble() >= settings.ErasingProbability) continue;
            var area = (MinErasedArea + _rng.NextDouble() * (MaxErasedArea - MinErasedArea)) * height * width;
            var aspect = Math.Exp((_rng.NextDouble() * 2 - 1) * Math.Log(MaxErasedAspect));
            var h = Math.Clamp((int)Math.Round(Math.Sqrt(area * aspect)), 1, height);
            var w = Math.Clamp((int)Math.Round(Math.Sqrt(area / aspect)), 1, width);
            var top = _rng.Next(height - h + 1);
            var left = _rng.Next(width - w + 1);
            for (var row = top; row < top + h; row++) Array.Fill(mask, true, (i * height + row) * width + left, w);
        }
        var m = torch.tensor(mask, [n, 1, height, width], device: x.device);
        var value = torch.tensor(fill, [1, fill.Length, 1, 1], device: x.device);
        // where() rather than x * (1 - m) + m * value: no number becomes a TorchSharp scalar on the way (see HeldScalars).
        return torch.where(m, value, x);
    }
}
