using System.Text.Json;
using AutoMLStudio.Engine.Models;
using AutoMLStudio.Engine.Search;
using AutoMLStudio.Engine.Spaces;
using TorchSharp;

namespace AutoMLStudio.Engine.Tests.Search;

[Collection(TorchCollection.Name)]
public sealed class NacSearchTests : IDisposable
{
    private static readonly SearchSpaceContext Context = new(1, 16, 3, [0.5f], [0.3f], MaxEpochs: 8);
    private readonly string _folder = Directory.CreateTempSubdirectory("amls-nac-").FullName;

    private static CnnArchitecture ThreeBlocks() => new(1, 16, 3,
        [new ConvBlockSpec(16, 3, true, true), new ConvBlockSpec(16, 3, true, true), new ConvBlockSpec(16, 3, true, false)], 32, 0.1, [0.5f], [0.3f]);

    // Block 0 gets strong weights, block 1 keeps its initial ones except for the filters in `deadInBlock1`, block 2 is all zeros.
    private string TrainedWeights(CnnArchitecture architecture, string name, int deadInBlock1 = 0)
    {
        AutoMLStudio.Engine.Native.TorchNative.EnsureLoaded();
        torch.manual_seed(1);
        using var model = CnnModelFactory.Build(architecture);
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using (torch.no_grad())
        {
            parameters["conv0.weight"].fill_(0.5);
            if (deadInBlock1 > 0) parameters["conv1.weight"].narrow(0, 0, deadInBlock1).zero_();
            parameters["conv2.weight"].zero_();
        }
        var path = Path.Combine(_folder, name);
        model.save(path);
        return path;
    }

    [Fact]
    public void A_block_with_zeroed_weights_is_removed_and_the_block_with_strong_weights_is_widened()
    {
        var nac = new NacSearch(Context, seed: 3, budget: 10);
        nac.Tell(new Observation<TrialConfig>(1, new TrialConfig(ThreeBlocks(), nac.Envelope().Training), 0.8, TrainedWeights(ThreeBlocks(), "1.weights")));

        var next = nac.Ask(2).Architecture;

        Assert.Equal([32, 16], next.Blocks.Select(b => b.Filters));
        Assert.Equal(nac.TruncatedEpochs, nac.Ask(2).Training.Epochs);
    }

    [Fact]
    public void A_block_with_mostly_dead_filters_is_narrowed_to_its_live_ones()
    {
        var utilities = BlockUtilities.Measure(ThreeBlocks(), TrainedWeights(ThreeBlocks(), "half.weights", deadInBlock1: 12));

        Assert.True(utilities[0].Relative >= NacSearch.WidenRelative, $"strong block utility {utilities[0].Relative:0.##}");
        Assert.Equal(0.75, utilities[1].WeakFraction, 3);
        Assert.Equal(4, utilities[1].StrongFilters);
        Assert.Equal(1.0, utilities[2].WeakFraction);
        Assert.Equal(0.0, utilities[2].Relative);

        var next = new NacSearch(Context, seed: 3, budget: 10).Construct(ThreeBlocks(), utilities);
        Assert.Equal([32, NacSearch.MinFilters], next.Blocks.Select(b => b.Filters));
    }

    [Fact]
    public void Utilities_of_equally_useful_blocks_are_average_and_the_network_still_grows()
    {
        var utilities = BlockUtilities.FromFilterScores([[1, 1], [1, 1]]);
        Assert.All(utilities, u => Assert.Equal(1.0, u.Relative, 6));
        Assert.All(utilities, u => Assert.Equal(0.0, u.WeakFraction));

        var two = new CnnArchitecture(1, 16, 3, [new ConvBlockSpec(16, 3, true, true), new ConvBlockSpec(16, 3, true, true)], 32, 0, [0.5f], [0.3f]);
        var grown = new NacSearch(Context, seed: 1, budget: 5).Construct(two, utilities);
        Assert.Equal([32, 16], grown.Blocks.Select(b => b.Filters));
    }

    [Fact]
    public void A_block_already_at_the_widest_gets_a_copy_after_it()
    {
        var wide = new CnnArchitecture(1, 16, 3, [new ConvBlockSpec(NacSearch.MaxFilters, 3, true, true), new ConvBlockSpec(16, 5, true, true)], 32, 0, [0.5f], [0.3f]);
        var grown = new NacSearch(Context, seed: 1, budget: 5).Construct(wide, BlockUtilities.FromFilterScores([[3, 3], [1, 1]]));

        Assert.Equal([NacSearch.MaxFilters, NacSearch.MaxFilters, 16], grown.Blocks.Select(b => b.Filters));
        Assert.True(grown.FeatureMap().Size <= CnnSearchSpace.MaxFinalFeatureSize);
    }

    [Fact]
    public void Construction_trials_train_truncated_and_the_last_trials_train_the_best_network_fully()
    {
        var nac = new NacSearch(Context, seed: 7, budget: 10);
        Assert.Equal(2, nac.TruncatedEpochs);
        Assert.Equal(2, nac.FinalTrials);

        var first = nac.Ask(1);
        Assert.Equal(Json(nac.Envelope()), Json(first));
        Assert.Equal(2, first.Training.Epochs);
        var second = nac.Ask(2);
        Assert.NotEqual(Json(first.Architecture), Json(second.Architecture));

        nac.Tell(new Observation<TrialConfig>(1, first, 0.6));
        nac.Tell(new Observation<TrialConfig>(2, second, 0.7));
        for (var n = 3; n <= 8; n++) Assert.Equal(2, nac.Ask(n).Training.Epochs);

        var final = nac.Ask(9);
        Assert.Equal(Context.MaxEpochs, final.Training.Epochs);
        Assert.Equal(Json(second.Architecture), Json(final.Architecture));
        Assert.Equal(Json(first.Architecture), Json(nac.Ask(10).Architecture));
    }

    [Fact]
    public void A_retry_after_a_broken_limit_proposes_a_different_network()
    {
        var nac = new NacSearch(Context, seed: 7, budget: 10);
        var retried = nac.Ask(1 + 3 * SearchStrategies.RetryStride);

        Assert.NotEqual(Json(nac.Ask(1).Architecture), Json(retried.Architecture));
        Assert.Equal(nac.TruncatedEpochs, retried.Training.Epochs);
    }

    [Fact]
    public void Same_seed_and_same_told_trials_in_any_order_ask_the_same()
    {
        var weights = TrainedWeights(ThreeBlocks(), "1.weights");
        var envelope = new NacSearch(Context, seed: 11, budget: 12).Envelope();
        var told = new List<Observation<TrialConfig>>
        {
            new(1, new TrialConfig(ThreeBlocks(), envelope.Training), 0.8, weights),
            new(2, envelope, 0.7),
            new(3, envelope with { Architecture = envelope.Architecture with { DenseUnits = 0 } }, null),
        };

        var live = new NacSearch(Context, seed: 11, budget: 12);
        foreach (var o in told) live.Tell(o);
        var restarted = new NacSearch(Context, seed: 11, budget: 12);
        foreach (var o in Enumerable.Reverse(told)) restarted.Tell(o);

        for (var n = 4; n <= 12; n++) Assert.Equal(Json(live.Ask(n)), Json(restarted.Ask(n)));
        Assert.NotEqual(Json(live.Ask(4)), Json(new NacSearch(Context, seed: 12, budget: 12).Ask(4)));
    }

    [Fact]
    public void Nac_is_created_by_name_and_says_what_it_does()
    {
        Assert.IsType<NacSearch>(SearchStrategies.Create("NAC", Context, 1, budget: 6));
        var choice = NacSearch.Choice(budget: 10, maxEpochs: 8);
        Assert.Equal("nac", choice.Strategy);
        Assert.Contains("2 epochs", choice.Reason);
        Assert.Contains("last 2 of 10 trials", choice.Reason);
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, EngineJson.Options);

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
