using System.Text.Json;
using AutoMLStudio.Engine.Spaces;
using AutoMLStudio.Engine.Training;

namespace AutoMLStudio.Engine.Tests.Spaces;

public sealed class EngineJsonTests
{
    [Fact]
    public void Epoch_report_of_a_diverged_trial_with_NaN_loss_round_trips()
    {
        var report = new EpochReport(3, double.NaN, double.PositiveInfinity, 0.1, 1.5);

        var json = JsonSerializer.Serialize(report, EngineJson.Options);
        var back = JsonSerializer.Deserialize<EpochReport>(json, EngineJson.Options);

        Assert.Contains("\"trainLoss\":\"NaN\"", json);
        Assert.Equal(report, back);
    }

    [Fact]
    public void Options_are_read_only_so_callers_cannot_change_them_for_everyone()
    {
        Assert.True(EngineJson.Options.IsReadOnly);
        Assert.Equal(JsonNamingPolicy.CamelCase, EngineJson.Options.PropertyNamingPolicy);
    }
}
