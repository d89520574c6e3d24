using AutoMLStudio.Engine.Search;

namespace AutoMLStudio.Engine.Tests.Search;

public sealed class SpaceStrategiesFactoryTests
{
    private static readonly ParameterSpace Space = new(ParameterDimension.FloatRange("x", 0, 1));

    [Theory]
    [InlineData("random", typeof(RandomStrategy))]
    [InlineData("TPE", typeof(TpeStrategy))]
    [InlineData(" evolution ", typeof(RegularizedEvolutionStrategy))]
    [InlineData("auto", typeof(TpeStrategy))]
    public void Create_gives_the_named_strategy_case_insensitively(string name, Type expected)
    {
        Assert.IsType(expected, SearchStrategies.Create(name, Space, seed: 1, budget: 50));
    }

    [Fact]
    public void Create_with_an_unknown_name_throws_a_message_listing_valid_names()
    {
        var error = Assert.Throws<ArgumentException>(() => SearchStrategies.Create("bayes", Space, 1, 50));

        Assert.Contains("'bayes'", error.Message);
        Assert.Contains("auto, random, tpe, evolution", error.Message);
    }

    [Fact]
    public void Auto_choice_names_tpe_with_asha_and_says_when_it_stops_trials()
    {
        var choice = AutoChoice.For(budget: 40, maxEpochs: 20);

        Assert.Equal("tpe", choice.Strategy);
        Assert.Equal("asha", choice.Scheduler);
        Assert.Contains("ASHA", choice.Reason);
        Assert.Contains("epochs 1, 3, 9", choice.Reason);
        Assert.Contains("40 trials", choice.Reason);
        Assert.Contains("\"nac\"", choice.Reason);
    }

    [Fact]
    public void Auto_choice_uses_no_early_stopping_when_trials_are_too_short_to_stop()
    {
        var choice = AutoChoice.For(budget: 20, maxEpochs: 2);

        Assert.Equal("none", choice.Scheduler);
        Assert.Contains("without early stopping", choice.Reason);
        Assert.Contains("2 epochs", choice.Reason);
    }

    [Fact]
    public void Tpe_startup_and_evolution_population_scale_with_the_trials_the_budget_buys()
    {
        Assert.Equal(3, TpeStrategy.DefaultStartupTrials(6));
        Assert.Equal(10, TpeStrategy.DefaultStartupTrials(40));
        Assert.Equal(20, TpeStrategy.DefaultStartupTrials(1000));
        Assert.Equal((4, 2), RegularizedEvolutionStrategy.DefaultSizes(10));
        Assert.Equal((15, 5), RegularizedEvolutionStrategy.DefaultSizes(60));
        Assert.Equal((50, 16), RegularizedEvolutionStrategy.DefaultSizes(1000));
        Assert.Contains("after 3 random ones", AutoChoice.For(budget: 6, maxEpochs: 5).Reason);
    }
}
