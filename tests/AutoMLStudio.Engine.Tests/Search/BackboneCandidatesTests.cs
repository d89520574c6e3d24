using AutoMLStudio.Engine.Backbones;
using AutoMLStudio.Engine.Search;
using AutoMLStudio.Engine.Spaces;

namespace AutoMLStudio.Engine.Tests.Search;

/// <summary>Fine-tune candidates of imported backbones among a search's own networks: which trials, which settings, and what the inner strategy hears.</summary>
public sealed class BackboneCandidatesTests
{
    private static readonly SearchSpaceContext Context = new(1, 28, 10, [0.3f], [0.3f], MaxEpochs: 5);

    private sealed class Recording(ISearchStrategy<TrialConfig> inner) : ISearchStrategy<TrialConfig>
    {
        public List<int> Told { get; } = [];
        public string Name => inner.Name;
        public TrialConfig Ask(int trialNumber) => inner.Ask(trialNumber);
        public void Tell(Observation<TrialConfig> observation) { Told.Add(observation.Number); inner.Tell(observation); }
    }

    private static string Json(TrialConfig config) => System.Text.Json.JsonSerializer.Serialize(config, EngineJson.Options);

    private static BackboneCandidates Create(int seed, params string[] backbones) =>
        new(SearchStrategies.Create("tpe", Context, seed, budget: 40), backbones, seed);

    [Fact]
    public void Trial_3_and_every_fourth_after_fine_tune_the_backbones_in_turn_with_the_training_the_search_chose()
    {
        var inner = SearchStrategies.Create("tpe", Context, 5, budget: 40);
        var search = new BackboneCandidates(SearchStrategies.Create("tpe", Context, 5, budget: 40), [BackboneArchitectures.MobileNetV2, BackboneArchitectures.ResNet18], 5);

        var backbones = Enumerable.Range(1, 15).Select(n => (n, search.Ask(n).Architecture.Backbone)).Where(t => t.Backbone is not null).ToList();

        Assert.Equal([3, 7, 11, 15], backbones.Select(t => t.n));
        Assert.Equal([BackboneArchitectures.MobileNetV2, BackboneArchitectures.ResNet18, BackboneArchitectures.MobileNetV2, BackboneArchitectures.ResNet18],
            backbones.Select(t => t.Backbone));
        var third = search.Ask(3);
        Assert.Equal(inner.Ask(3).Training with { Augmentation = third.Training.Augmentation }, third.Training);
        Assert.Equal((1, 28, 10), (third.Architecture.InputChannels, third.Architecture.InputSize, third.Architecture.ClassCount));
        Assert.Empty(third.Architecture.Stages);
        Assert.Equal(Json(inner.Ask(4)), Json(search.Ask(4)));
    }

    [Fact]
    public void Freeze_modes_and_rate_shares_are_drawn_by_seed_and_cover_every_choice()
    {
        var search = Create(9, BackboneArchitectures.MobileNetV2);
        var drawn = Enumerable.Range(0, 60).Select(k => search.Ask(BackboneCandidates.FirstTrial + k * BackboneCandidates.Every).FineTune!).ToList();

        Assert.Equal(FineTuneSettings.BackboneModes.Order(), drawn.Select(f => f.Train).Distinct().Order());
        Assert.Equal(BackboneCandidates.LearningRateScales.Order(), drawn.Where(f => f.Train != FineTuneSettings.Head).Select(f => f.LearningRateScale).Distinct().Order());
        // Only the head learns when frozen: the share of the pretrained layers' rate means nothing there, and without
        // augmentation the trainer computes the backbone's features once.
        Assert.All(drawn.Where(f => f.Train == FineTuneSettings.Head), f => Assert.Equal(1, f.LearningRateScale));
        Assert.All(Enumerable.Range(0, 60).Select(k => search.Ask(BackboneCandidates.FirstTrial + k * BackboneCandidates.Every)),
            c => Assert.True(c.FineTune!.Train != FineTuneSettings.Head || !c.Training.Augmentation.IsActive));
        Assert.Contains(Enumerable.Range(0, 60).Select(k => search.Ask(BackboneCandidates.FirstTrial + k * BackboneCandidates.Every)),
            c => c.FineTune!.Train != FineTuneSettings.Head && c.Training.Augmentation.IsActive);
        Assert.Equal(drawn, Enumerable.Range(0, 60).Select(k => Create(9, BackboneArchitectures.MobileNetV2).Ask(BackboneCandidates.FirstTrial + k * BackboneCandidates.Every).FineTune!));
        Assert.NotEqual(drawn, Enumerable.Range(0, 60).Select(k => Create(10, BackboneArchitectures.MobileNetV2).Ask(BackboneCandidates.FirstTrial + k * BackboneCandidates.Every).FineTune!));
    }

    [Fact]
    public void A_re_ask_after_a_broken_limit_falls_back_to_the_search_space_and_no_backbones_means_no_candidates()
    {
        Assert.NotNull(Create(1, BackboneArchitectures.ResNet18).Ask(3).Architecture.Backbone);
        Assert.Null(Create(1, BackboneArchitectures.ResNet18).Ask(3 + SearchStrategies.RetryStride).Architecture.Backbone);
        Assert.All(Enumerable.Range(1, 20), n => Assert.Null(Create(1).Ask(n).Architecture.Backbone));
    }

    [Fact]
    public void Only_the_search_spaces_own_trials_are_told_to_the_inner_strategy()
    {
        var inner = new Recording(SearchStrategies.Create("tpe", Context, 2, budget: 40));
        var search = new BackboneCandidates(inner, [BackboneArchitectures.MobileNetV2], 2);

        foreach (var n in Enumerable.Range(1, 8)) search.Tell(new Observation<TrialConfig>(n, search.Ask(n), 0.5 + n / 100.0));

        Assert.Equal([1, 2, 4, 5, 6, 8], inner.Told);
        Assert.Throws<ArgumentException>(() => CnnParameterSpace.Encode(search.Ask(3)));
    }
}
