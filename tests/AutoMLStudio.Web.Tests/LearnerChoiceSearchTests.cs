using System.Net;
using System.Text.Json;
using AutoMLStudio.Core.Searches;
using AutoMLStudio.Engine.Learners;
using AutoMLStudio.Engine.Search;
using AutoMLStudio.Engine.Tabular;
using AutoMLStudio.Engine.Text;
using AutoMLStudio.Engine.Training;

namespace AutoMLStudio.Web.Tests;

/// <summary>The learner is a dimension of a row search: trials of every learner that serves the data, defaults first, each naming its learner.</summary>
[Collection(StudioCollection.Name)]
public sealed class LearnerChoiceSearchTests(StudioApp app)
{
    [Fact]
    public async Task A_tabular_search_tries_each_learners_starting_point_first_and_every_trial_names_its_learner()
    {
        var choice = RowTrials.Choice(SearchTask.TabularClassification);
        var starts = choice.StartingPoints;
        Assert.NotEmpty(starts);
        var api = app.Api();
        var dataset = await api.ImportFileAsync(RowSearchTests.ColourTable(60), "rows.csv", "rows", new Dictionary<string, string> { ["labelColumn"] = "label" });
        var search = await api.PostJsonAsync("/api/v1/searches", new
        {
            datasetId = dataset.GetProperty("id").GetString(),
            budget = new { maxTrials = starts.Count + 1, maxMinutes = 5, maxEpochsPerTrial = 1 },
            seed = 11,
        }, HttpStatusCode.Created);
        var id = search.GetProperty("id").GetString()!;
        Assert.Equal("completed", (await api.WaitForSearchEndAsync(id)).GetProperty("status").GetString());

        var trials = (await api.GetJsonAsync($"/api/v1/searches/{id}/trials")).EnumerateArray().OrderBy(t => t.GetProperty("number").GetInt32()).ToList();

        Assert.Equal(starts.Count + 1, trials.Count);
        var serving = choice.Learners.Select(l => l.Name).ToList();
        Assert.All(trials, t =>
        {
            Assert.Equal("completed", t.GetProperty("status").GetString());
            var config = t.GetProperty("config");
            // The learner leads the configuration, and the rest is what that learner reads.
            Assert.Equal(LearnerChoice.Dimension, config.EnumerateObject().First().Name);
            Assert.Contains(config.GetProperty("learner").GetString(), serving);
        });
        for (var n = 0; n < starts.Count; n++)
        {
            var config = trials[n].GetProperty("config").GetRawText();
            Assert.Equal(starts[n].GetString(LearnerChoice.Dimension), trials[n].GetProperty("config").GetProperty("learner").GetString());
            Assert.Equal(starts[n], choice.Encode(config, "mlp"));
        }

        var comparison = await api.GetJsonAsync($"/api/v1/searches/{id}/compare?trials=1,{trials.Count}");
        var first = comparison.GetProperty("settings")[0];
        Assert.Equal("Learner", first.GetProperty("name").GetString());
        Assert.Equal(trials[0].GetProperty("config").GetProperty("learner").GetString() is { } learner ? LearnerNames.Display(learner) : null,
            first.GetProperty("values")[0].GetString());
    }

    [Fact]
    public void Configurations_stored_before_the_choice_still_read_describe_and_chart_as_the_mlp_and_the_text_classifiers()
    {
        var table = new DataProfile(PredictionTask.Classification, 3, 4, Plan: new TabularPreprocessingPlan(
            [new NumericFeature("size", "value", 5, new StandardScaling(5, 2))], [], [], null));
        var mlp = new TabularMlpLearner();
        var oldTable = mlp.Decode(TabularParameterSpace.Create().Sample(new Random(1)), table).ConfigJson;
        var texts = new DataProfile(PredictionTask.Classification, 2, 4, Tokenizer: new TextTokenizer(["good", "bad"]));
        var text = new TextLearner();
        var oldText = text.Decode(TextParameterSpace.Create().Sample(new Random(2)), texts).ConfigJson;

        foreach (var (task, oldJson, learner, network) in new (SearchTask, string, ILearner, string)[]
                 {
                     (SearchTask.TabularClassification, oldTable, mlp, "Hidden layers"),
                     (SearchTask.TextClassification, oldText, text, "Embedding width"),
                 })
        {
            Assert.DoesNotContain("learner", oldJson);
            var search = new Search { Task = task };
            var trial = new Trial { SearchId = search.Id, Number = 1, ConfigJson = oldJson, Search = search };

            Assert.Equal(learner.Name, RowTrials.LearnerOf(oldJson, task).Name);
            var configuration = TrialDescriptions.Configuration(trial, search);
            Assert.Equal(learner.Name, configuration.GetProperty("learner").GetString());
            Assert.Equal(learner.Configuration(oldJson).GetProperty("architecture").GetRawText(), configuration.GetProperty("architecture").GetRawText());
            var (architecture, training) = TrialDescriptions.Describe(trial, search);
            Assert.EndsWith(learner.Describe(oldJson).Architecture, architecture);
            Assert.Equal(learner.Describe(oldJson).Training, training);
            var settings = TrialSettings.Of(trial, task);
            Assert.Equal(new TrialSetting(TrialSettings.Network, "Learner", LearnerNames.Display(learner.Name)), settings[0]);
            Assert.Contains(settings, s => s.Name == network);
            var space = TrialPoints.Space(search)!;
            var point = TrialPoints.Point(trial, search, space);
            Assert.NotNull(point);
            Assert.Equal(learner.Name, point.GetString(LearnerChoice.Dimension));
            var own = learner.Encode(oldJson);
            Assert.All(own, p => Assert.Equal(p.Value, point[$"{learner.Name}.{p.Key}"]));
        }
    }
}
