using AutoMLStudio.Engine.Training;

namespace AutoMLStudio.Engine.Tests.Training;

public sealed class LearningRateScheduleTests
{
    [Fact]
    public void Constant_keeps_the_rate_at_every_step()
    {
        var schedule = new LearningRateSchedule("constant", 0.01, totalSteps: 100);

        Assert.All(new long[] { 0, 37, 99, 100 }, step => Assert.Equal(0.01, schedule.At(step)));
    }

    [Fact]
    public void Cosine_falls_from_the_peak_through_half_at_mid_run_to_zero()
    {
        var schedule = new LearningRateSchedule("cosine", 0.01, totalSteps: 100);

        Assert.Equal(0.01, schedule.At(0), 12);
        Assert.Equal(0.005, schedule.At(50), 12);
        Assert.Equal(0, schedule.At(100), 12);
        Assert.True(schedule.At(25) > schedule.At(26));
    }

    [Fact]
    public void One_cycle_warms_up_from_a_25th_of_the_peak_for_30_percent_then_anneals_far_below_the_start()
    {
        var schedule = new LearningRateSchedule("onecycle", 0.01, totalSteps: 1000);

        Assert.Equal(0.01 / 25, schedule.At(0), 12);
        Assert.Equal(0.01, schedule.At(300), 12);
        Assert.True(schedule.At(150) is > 0.0004 and < 0.01);
        Assert.Equal(0.01 / 25 / 1e4, schedule.At(1000), 12);
        Assert.True(schedule.At(299) < schedule.At(300) && schedule.At(301) < schedule.At(300));
    }

    [Fact]
    public void An_unknown_schedule_is_refused_with_the_valid_names()
    {
        var error = Assert.Throws<ArgumentException>(() => new LearningRateSchedule("step", 0.01, 10));

        Assert.Contains("constant, cosine, onecycle", error.Message);
    }
}
