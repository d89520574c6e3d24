using System.Text.Json;
using AutoMLStudio.Core.Registry;
using AutoMLStudio.Core.Searches;
using AutoMLStudio.Engine.Spaces;
using AutoMLStudio.Web.Components.Shared;

namespace AutoMLStudio.Web.UiTests;

public sealed class NetworkDescriptionTests : BunitTest
{
    // A configuration stored before the cell space: plain conv blocks and no training extras.
    private const string FirstSpaceConfig = """
        {"architecture":{"inputChannels":1,"inputSize":16,"classCount":3,
          "blocks":[{"filters":8,"kernel":3,"batchNorm":true,"pool":true}],"denseUnits":32,"dropout":0,"mean":[0.5],"std":[0.3]},
         "training":{"optimizer":"sgd","learningRate":0.05,"weightDecay":0,"batchSize":32,"epochs":3}}
        """;

    [Fact]
    public void Trial_table_describes_each_trials_network_and_training_and_a_dash_when_the_config_is_unreadable()
    {
        var cell = new TrialConfig(
            new CnnArchitecture(1, 28, 10, [], 0, 0, [0.3f], [0.3f], [new CellStage(32, [CellOps.SepConv3, CellOps.SepConv3], "max")], BatchNorm: true, Head: "gap"),
            new TrainingSettings("sgd", 0.05, 0, 64, 3, "onecycle", 0.05, new AugmentationSettings(HorizontalFlip: true), Nesterov: true));
        var trials = new[]
        {
            TrialView.From(new Trial { Number = 1, ConfigJson = JsonSerializer.Serialize(cell, EngineJson.Options) }),
            TrialView.From(new Trial { Number = 2, ConfigJson = FirstSpaceConfig }),
            TrialView.From(new Trial { Number = 3, ConfigJson = "{\"architecture\": 5}" }),
        };

        var cut = Render<TrialTable>(p => p.Add(c => c.Trials, trials));

        var architectures = cut.FindAll(".trial-architecture").Select(e => e.TextContent.Trim()).ToList();
        Assert.Equal("stage 1: 2 x sep-conv 3x3 (32), max-pool · BN · global avg pool -> 10 classes", architectures[0]);
        Assert.Equal("conv 3x3 (8) BN, pool · flatten 8x8 -> dense 32 -> 3 classes", architectures[1]);
        Assert.Equal("–", architectures[2]);
        Assert.Equal(["sgd nesterov lr 0.05 onecycle · batch 64 · smoothing 0.05 · flip", "sgd lr 0.05 constant · batch 32"],
            cut.FindAll(".trial-training").Select(e => e.TextContent.Trim()));
    }

    [Fact]
    public void Model_card_summary_describes_the_network_of_an_old_card_and_none_when_the_card_has_no_configuration()
    {
        var withConfig = ModelCardSummary.Parse($$"""{"parameters": 4000, "configuration": {{FirstSpaceConfig}} }""");
        var without = ModelCardSummary.Parse("""{"parameters": 4000}""");

        Assert.Equal("conv 3x3 (8) BN, pool · flatten 8x8 -> dense 32 -> 3 classes", withConfig.Network);
        Assert.Null(without.Network);
        Assert.Equal(4000, without.Parameters);
    }
}
