using AutoMLStudio.Engine.Search;
using AutoMLStudio.Engine.Spaces;

namespace AutoMLStudio.Engine.Tests.Search;

public sealed class CnnSpaceSearchTests
{
    private static readonly SearchSpaceContext Context = new(1, 28, 10, [0.3f], [0.3f], 4);

    [Fact]
    public void Cnn_space_search_rebuilt_from_stored_configs_asks_the_same_next_config()
    {
        var original = SearchStrategies.Create("evolution", Context, seed: 5, budget: 40);
        var stored = new List<Observation<TrialConfig>>();
        for (var n = 1; n <= 25; n++)
        {
            var config = original.Ask(n);
            var observation = new Observation<TrialConfig>(n, config, n % 7 == 0 ? null : 1.0 / CnnSearchSpace.CountParameters(config.Architecture));
            original.Tell(observation);
            stored.Add(observation);
        }

        var rebuilt = SearchStrategies.Create("evolution", Context, seed: 5, budget: 40);
        foreach (var observation in stored) rebuilt.Tell(observation);

        Assert.Equal("evolution", rebuilt.Name);
        Assert.Equal(Json(original.Ask(26)), Json(rebuilt.Ask(26)));
    }

    private static string Json(TrialConfig config) => System.Text.Json.JsonSerializer.Serialize(config, EngineJson.Options);
}
