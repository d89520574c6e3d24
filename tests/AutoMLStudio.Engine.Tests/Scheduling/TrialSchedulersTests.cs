using AutoMLStudio.Engine.Scheduling;

namespace AutoMLStudio.Engine.Tests.Scheduling;

public sealed class TrialSchedulersTests
{
    [Theory]
    [InlineData("asha", 10, typeof(AshaScheduler))]
    [InlineData("Median", 10, typeof(MedianStoppingScheduler))]
    [InlineData("none", 10, typeof(NoScheduler))]
    [InlineData("auto", 3, typeof(AshaScheduler))]
    [InlineData("auto", 2, typeof(NoScheduler))]
    public void Create_gives_the_named_scheduler_and_auto_picks_asha_only_when_a_rung_precedes_the_last_epoch(
        string name, int maxEpochs, Type expected)
    {
        Assert.IsType(expected, TrialSchedulers.Create(name, maxEpochs));
    }

    [Fact]
    public void Create_with_an_unknown_name_throws_a_message_listing_valid_names()
    {
        var error = Assert.Throws<ArgumentException>(() => TrialSchedulers.Create("hyperband", 10));

        Assert.Contains("'hyperband'", error.Message);
        Assert.Contains("auto, asha, median, none", error.Message);
    }

    [Fact]
    public void No_scheduler_never_prunes()
    {
        Assert.False(new NoScheduler().Report(1, 5, double.NaN).Pruned);
    }
}
