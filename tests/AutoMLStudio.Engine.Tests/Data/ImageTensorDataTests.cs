using AutoMLStudio.Engine.Data;

namespace AutoMLStudio.Engine.Tests.Data;

public sealed class ImageTensorDataTests
{
    [Fact]
    public void Subset_copies_the_chosen_images_and_labels_in_the_given_order()
    {
        // Three 1x2x2 images whose pixels all equal their index.
        var data = new ImageTensorData([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2], [10, 11, 12], channels: 1, size: 2);

        var subset = data.Subset([2, 0]);

        Assert.Equal(2, subset.Count);
        Assert.Equal([12, 10], subset.Labels);
        Assert.Equal([2f, 2, 2, 2, 0, 0, 0, 0], subset.Pixels);
    }

    [Fact]
    public void Constructor_rejects_pixel_counts_that_do_not_match_the_shape()
    {
        var error = Assert.Throws<ArgumentException>(() => new ImageTensorData(new float[7], [0, 1], 1, 2));

        Assert.Contains("Expected 2 x 1 x 2 x 2 pixels", error.Message);
    }

    [Fact]
    public void ChannelStatistics_gives_per_channel_mean_and_std()
    {
        // Two 2-channel 1x1 images: channel 0 holds 0 and 1, channel 1 holds 0.5 twice.
        var data = new ImageTensorData([0f, 0.5f, 1f, 0.5f], [0, 1], channels: 2, size: 1);

        var (mean, std) = data.ChannelStatistics();

        Assert.Equal([0.5f, 0.5f], mean);
        Assert.Equal(0.5f, std[0], 5);
        Assert.Equal(1e-3f, std[1], 5);
    }
}
