using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace AutoMLStudio.Web.Tests;

/// <summary>A row search's ending adds an ensemble of its best trials when it beats them on validation; it is served like any model.</summary>
[Collection(StudioCollection.Name)]
public sealed class EnsembleSearchTests(StudioApp app, ITestOutputHelper output)
{
    // Three overlapping clouds in four measurements, as iris: no model separates them all, so trials differ in their mistakes.
    private static byte[] Flowers(int rows)
    {
        var rng = new Random(4);
        var csv = new StringBuilder("a,b,c,d,species\n");
        for (var i = 0; i < rows; i++)
        {
            var k = i % 3;
            double Noisy(double centre) => centre + (rng.NextDouble() + rng.NextDouble() - 1) * 1.6;
            csv.Append(CultureInfo.InvariantCulture, $"{Noisy(k):F3},{Noisy(2 - k):F3},{Noisy(k * 0.5):F3},{Noisy(1):F3},s{k}\n");
        }
        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    // y = 3 x1 - 2 x2 + x1 x2 with much noise: the learners each miss it in their own way, and their average misses it less.
    private static byte[] Curved(int rows)
    {
        var rng = new Random(6);
        var csv = new StringBuilder("x1,x2,y\n");
        for (var i = 0; i < rows; i++)
        {
            double x1 = rng.NextDouble() * 4 - 2, x2 = rng.NextDouble() * 4 - 2;
            csv.Append(CultureInfo.InvariantCulture, $"{x1:F3},{x2:F3},{3 * x1 - 2 * x2 + x1 * x2 + (rng.NextDouble() - 0.5) * 8:F3}\n");
        }
        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    private async Task<(JsonElement Done, List<JsonElement> Trials)> SearchAsync(byte[] csv, string label, int trials, int epochs)
    {
        var api = app.Api();
        var dataset = await api.ImportFileAsync(csv, "rows.csv", "ensemble rows", new Dictionary<string, string> { ["labelColumn"] = label });
        var search = await api.PostJsonAsync("/api/v1/searches", new
        {
            datasetId = dataset.GetProperty("id").GetString(), seed = 7, algorithm = "random",
            budget = new { maxTrials = trials, maxMinutes = 5, maxEpochsPerTrial = epochs },
        }, HttpStatusCode.Created);
        var id = search.GetProperty("id").GetString()!;
        var done = await api.WaitForSearchEndAsync(id, seconds: 300);
        Assert.Equal("completed", done.GetProperty("status").GetString());
        return (done, (await api.GetJsonAsync($"/api/v1/searches/{id}/trials")).EnumerateArray().ToList());
    }

    private static bool IsEnsemble(JsonElement trial) =>
        trial.GetProperty("config").TryGetProperty("learner", out var learner) && learner.GetString() == "ensemble";

    private static double ValMetric(JsonElement trial) => trial.GetProperty("metrics").GetProperty("valMetric").GetDouble();

    // Whatever the ending made must agree with what the API shows: an ensemble is the last trial, beats every trained trial on
    // validation, is the best, costs its members' sum, and has weights summing to 1.
    private static (JsonElement Ensemble, List<(JsonElement Trial, double Weight)> Members)? CheckEnding(JsonElement done, List<JsonElement> trials,
        bool lowerIsBetter)
    {
        var ensembles = trials.Where(IsEnsemble).ToList();
        var trained = trials.Where(t => !IsEnsemble(t)).ToList();
        Assert.All(trained, t => Assert.Equal("completed", t.GetProperty("status").GetString()));
        if (ensembles.Count == 0)
        {
            Assert.Contains(trained, t => t.GetProperty("id").GetString() == done.GetProperty("bestTrialId").GetString());
            return null;
        }
        var ensemble = Assert.Single(ensembles);
        Assert.Equal(trials.Max(t => t.GetProperty("number").GetInt32()), ensemble.GetProperty("number").GetInt32());
        Assert.Equal("completed", ensemble.GetProperty("status").GetString());
        var bestTrained = lowerIsBetter ? trained.Min(ValMetric) : trained.Max(ValMetric);
        Assert.True(lowerIsBetter ? ValMetric(ensemble) < bestTrained : ValMetric(ensemble) > bestTrained,
            $"ensemble {ValMetric(ensemble)} against the best trial's {bestTrained}");
        Assert.Equal(ensemble.GetProperty("id").GetString(), done.GetProperty("bestTrialId").GetString());
        var members = ensemble.GetProperty("config").GetProperty("members").EnumerateArray()
            .Select(m => (Trial: trained.Single(t => t.GetProperty("number").GetInt32() == m.GetProperty("trial").GetInt32()), Weight: m.GetProperty("weight").GetDouble()))
            .ToList();
        Assert.True(members.Count >= 2);
        Assert.Equal(1.0, members.Sum(m => m.Weight), 9);
        Assert.Equal(members.Sum(m => m.Trial.GetProperty("params").GetInt64()), ensemble.GetProperty("params").GetInt64());
        Assert.Equal(members.Sum(m => m.Trial.GetProperty("flops").GetInt64()), ensemble.GetProperty("flops").GetInt64());
        Assert.Empty(ensemble.GetProperty("epochs").EnumerateArray());
        return (ensemble, members);
    }

    [Fact]
    public async Task A_classification_search_ends_with_an_ensemble_only_when_it_beats_every_trial_on_validation()
    {
        var (done, trials) = await SearchAsync(Flowers(150), "species", trials: 6, epochs: 4);

        Assert.Equal(6, trials.Count(t => !IsEnsemble(t)));
        output.WriteLine(string.Join(", ", trials.Select(t => $"trial {t.GetProperty("number")}{(IsEnsemble(t) ? " (ensemble)" : "")} {ValMetric(t):0.####}")));
        if (CheckEnding(done, trials, lowerIsBetter: false) is { } ending)
        {
            object[] rows = [new { a = 0.1, b = 1.9, c = 0.0, d = 1.0 }, new { a = 1.2, b = 0.8, c = 0.4, d = 0.7 }];
            await AssertServesWeightedAverageAsync(ending.Ensemble, ending.Members, rows);
        }
    }

    [Fact]
    public async Task A_regression_ensemble_registers_deploys_and_predicts_the_weighted_average_of_its_members()
    {
        var (done, trials) = await SearchAsync(Curved(300), "y", trials: 8, epochs: 15);

        var ending = CheckEnding(done, trials, lowerIsBetter: true);
        Assert.True(ending is not null, "averaging the trials did not lower the validation RMSE: " +
                                        string.Join(", ", trials.Select(t => $"trial {t.GetProperty("number")} {ValMetric(t):0.####}")));
        output.WriteLine(string.Join(", ", trials.Select(t => $"trial {t.GetProperty("number")}{(IsEnsemble(t) ? " (ensemble)" : "")} {ValMetric(t):0.####}")));
        await AssertServesWeightedAverageAsync(ending!.Value.Ensemble, ending.Value.Members, [new { x1 = 1.5, x2 = -1.0 }, new { x1 = -0.3, x2 = 0.7 }]);

        // Compared with a trained trial, the ensemble's one setting names its members and weights.
        var id = done.GetProperty("id").GetString();
        var number = ending.Value.Ensemble.GetProperty("number").GetInt32();
        var comparison = await app.Api().GetJsonAsync($"/api/v1/searches/{id}/compare?trials=1,{number}");
        var setting = comparison.GetProperty("settings").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "Ensemble");
        Assert.StartsWith($"Ensemble of {ending.Value.Members.Count}: ", setting.GetProperty("values")[1].GetString());
    }

    // The ensemble's endpoint answers, for each row, its members' endpoints' answers (values or class probabilities) averaged with its weights.
    private async Task AssertServesWeightedAverageAsync(JsonElement ensemble, List<(JsonElement Trial, double Weight)> members, object[] rows)
    {
        var served = await PredictAsync(ensemble, "ensemble model", rows);
        var expected = served.Select(r => new double[r.Length]).ToArray();
        for (var i = 0; i < members.Count; i++)
        {
            var answers = await PredictAsync(members[i].Trial, $"ensemble member {i}", rows);
            for (var r = 0; r < rows.Length; r++)
                for (var k = 0; k < answers[r].Length; k++) expected[r][k] += members[i].Weight * answers[r][k];
        }
        for (var r = 0; r < rows.Length; r++)
            for (var k = 0; k < served[r].Length; k++) Assert.Equal(expected[r][k], served[r][k], 1e-4);
    }

    // Each row's answer: its value, or its classes' probabilities in the labels' order.
    private async Task<double[][]> PredictAsync(JsonElement trial, string name, object[] rows)
    {
        var api = app.Api();
        name = $"{name} {trial.GetProperty("id").GetString()![..8]}";
        var model = await api.PostJsonAsync("/api/v1/models", new { trialId = trial.GetProperty("id").GetString(), name }, HttpStatusCode.Created);
        var endpoint = await api.PostJsonAsync("/api/v1/endpoints", new { modelId = model.GetProperty("id").GetString(), name }, HttpStatusCode.Created);
        var answer = await api.PostJsonAsync(endpoint.GetProperty("predictUrl").GetString()!, new { instances = rows }, HttpStatusCode.OK);
        return [.. answer.GetProperty("predictions").EnumerateArray().Select(p => p.TryGetProperty("value", out var value)
            ? [value.GetDouble()]
            : p.GetProperty("scores").EnumerateObject().OrderBy(s => s.Name, StringComparer.Ordinal).Select(s => s.Value.GetDouble()).ToArray())];
    }
}
