using System.Text.Json;
using System.Text.Json.Nodes;
using AutoMLStudio.Core.Hosting;
using AutoMLStudio.Core.Registry;
using AutoMLStudio.Core.Searches;
using AutoMLStudio.Engine.Learners;
using AutoMLStudio.Engine.Text;
using AutoMLStudio.Engine.Training;

namespace AutoMLStudio.Web.Tests;

/// <summary>
/// A TF-IDF model served by the studio's own hosting classes: the predictor a deployed endpoint loads, reading the
/// stored configuration and tokenizer as it does for every text model. (A search proposes <c>tfidf</c> once the learner
/// is a dimension of the search; the trial's path through registry and endpoint is then the text models' path.)
/// </summary>
public sealed class TfidfHostingTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "tfidf-hosting-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    private static readonly string[] Weather =
    [
        "heavy rain and strong wind tonight", "sunny skies with a warm breeze", "snow falls on the hills by morning",
        "clouds and light rain in the afternoon", "a cold wind and frost after sunset", "thunder storms with rain and hail",
        "warm sun and clear skies all day", "fog in the valley until noon", "rain showers and wind along the coast",
        "snow and ice on the roads tonight",
    ];

    private static readonly string[] Markets =
    [
        "shares fell as investors sold bank stocks", "the market rallied after strong earnings", "bond yields rose on inflation fears",
        "investors bought tech shares on good earnings", "the central bank raised interest rates", "stocks closed higher as oil prices fell",
        "the dollar weakened against the euro", "bank shares rose after the rate decision", "traders sold bonds as inflation rose",
        "earnings lifted stocks to a record high",
    ];

    [Fact]
    public async Task A_deployed_tfidf_model_predicts_texts_as_its_own_evaluation_does()
    {
        var learner = (TfidfLearner)LearnerCatalog.Named("tfidf_linear");
        string?[] texts = [.. Weather, .. Markets];
        var train = new RowExamples([.. texts.Select(_ => (IReadOnlyDictionary<string, string?>)new Dictionary<string, string?>())], texts,
            SupervisedTargets.Classes([.. Weather.Select(_ => 0), .. Markets.Select(_ => 1)], 2));
        var tokenizer = TextTokenizer.Fit(texts, maxVocabulary: 1000, minCount: 1);
        var profile = new DataProfile(PredictionTask.Classification, ClassCount: 2, MaxEpochs: 6, Tokenizer: tokenizer);
        var candidate = learner.Decode(learner.StartingPoints(profile)[0], profile);
        var outcome = await learner.TrainAsync(candidate.ConfigJson, profile, train, train,
            new TrainingSetup(_folder, Seed: 1, Engine.Devices.DeviceDetector.Resolve("cpu"), Threads: 1, Objective: null, RegressionMetric: null),
            _ => Task.CompletedTask, CancellationToken.None);

        // The trial stores its learner beside the learner's own configuration; hosting reads the stored text.
        var stored = JsonNode.Parse(candidate.ConfigJson)!.AsObject();
        stored["learner"] = "tfidf_linear";
        var card = new ModelCard("weather-or-markets", 1, SearchTasks.TextClassification, ["weather", "markets"], null,
            JsonDocument.Parse(stored.ToJsonString()).RootElement, candidate.Parameters, candidate.Flops,
            new ModelMetrics("accuracy", outcome.BestValMetric, null, null), new ModelLineage(Guid.Empty, null, Guid.Empty, Guid.Empty, 1, "0"));
        using var predictor = new ModelPredictor(card, learner.ExportOnnx(candidate.ConfigJson, outcome.BestWeightsPath, target: null), tokenizer.ToJson());

        string?[] asked = ["rain and wind by the coast tonight", "bank shares and bonds fell", "", "words it never saw", "rain rain rain rain stocks"];
        var instances = asked.Select(t => JsonSerializer.SerializeToElement(new { text = t })).ToList();
        var predictions = predictor.PredictInstances(instances);
        var expected = learner.Evaluate(candidate.ConfigJson, outcome.BestWeightsPath, profile,
            new RowExamples([.. asked.Select(_ => (IReadOnlyDictionary<string, string?>)new Dictionary<string, string?>())], asked,
                SupervisedTargets.Classes(new int[asked.Length], 2)), Engine.Devices.DeviceDetector.Resolve("cpu")).Probabilities!;

        Assert.Equal(["weather", "markets"], predictions.Take(2).Select(p => p.Label));
        for (var i = 0; i < asked.Length; i++)
        {
            Assert.Equal(expected[i][0], predictions[i].Scores!["weather"], 1e-4);
            Assert.Equal(expected[i][1], predictions[i].Scores!["markets"], 1e-4);
        }
        Assert.Equal("texts as {\"text\": \"...\"}", predictor.Describe());
    }
}
