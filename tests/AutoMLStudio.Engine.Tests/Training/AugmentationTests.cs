using AutoMLStudio.Engine.Spaces;
using AutoMLStudio.Engine.Training;
using TorchSharp;

namespace AutoMLStudio.Engine.Tests.Training;

[Collection(TorchCollection.Name)]
public sealed class AugmentationTests
{
    // 8 images of 1x6x6 whose pixels are all different, so any move or mirror shows.
    private static torch.Tensor Batch() => torch.arange(8 * 36, dtype: torch.float32).reshape(8, 1, 6, 6).div(8 * 36);

    private static bool Same(torch.Tensor a, torch.Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    [Fact]
    public void Same_seed_gives_the_same_augmented_batch_and_another_seed_a_different_one()
    {
        using var scope = torch.NewDisposeScope();
        var settings = new AugmentationSettings(HorizontalFlip: true, CropPadding: 2, ErasingProbability: 0.5);

        var first = new Augmentation(settings, [0.5f], seed: 3).Apply(Batch());
        var second = new Augmentation(settings, [0.5f], seed: 3).Apply(Batch());
        var other = new Augmentation(settings, [0.5f], seed: 4).Apply(Batch());

        Assert.True(Same(first, second));
        Assert.False(Same(first, other));
        Assert.Equal(Batch().shape, first.shape);
    }

    [Fact]
    public void Flip_mirrors_some_images_left_to_right_and_leaves_the_others()
    {
        using var scope = torch.NewDisposeScope();
        var batch = Batch();

        var flipped = new Augmentation(new AugmentationSettings(HorizontalFlip: true), [0f], seed: 1).Apply(batch);

        var mirrored = Enumerable.Range(0, 8).Count(i => Same(flipped[i], batch[i].flip(2)));
        var kept = Enumerable.Range(0, 8).Count(i => Same(flipped[i], batch[i]));
        Assert.Equal(8, mirrored + kept);
        Assert.InRange(mirrored, 1, 7);
    }

    [Fact]
    public void Crop_shifts_each_image_within_the_padding_and_repeats_the_edge_pixels_into_the_border()
    {
        using var scope = torch.NewDisposeScope();
        var batch = Batch();

        var cropped = new Augmentation(new AugmentationSettings(CropPadding: 2), [0f], seed: 2).Apply(batch);

        for (var i = 0; i < 8; i++)
        {
            // Some shift (dy, dx) in -2..2 reproduces the crop: the window of the edge-padded image at (2 + dy, 2 + dx).
            var padded = torch.nn.functional.pad(batch[i].unsqueeze(0), [2, 2, 2, 2], PaddingModes.Replicate)[0];
            var matches = from dy in Enumerable.Range(0, 5)
                          from dx in Enumerable.Range(0, 5)
                          where Same(padded[.., dy..(dy + 6), dx..(dx + 6)], cropped[i])
                          select (dy, dx);
            Assert.Single(matches);
        }
        Assert.False(Same(cropped, batch));
    }

    [Fact]
    public void Erasing_sets_one_rectangle_per_erased_image_to_the_fill_value()
    {
        using var scope = torch.NewDisposeScope();
        var batch = Batch();

        var erased = new Augmentation(new AugmentationSettings(ErasingProbability: 1), [-1f], seed: 5).Apply(batch);

        for (var i = 0; i < 8; i++)
        {
            var changed = erased[i].ne(batch[i]);
            var count = changed.sum().item<long>();
            Assert.InRange(count, 1, 36);
            Assert.True(erased[i].masked_select(changed).eq(-1f).all().item<bool>());
        }
    }
}
