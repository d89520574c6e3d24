using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Datasets;
using AutoMLStudio.Core.Leaderboards;
using AutoMLStudio.Core.Searches;
using AutoMLStudio.Engine.Analysis;
using AutoMLStudio.Engine.Search;
using AutoMLStudio.Engine.Tabular;
using Microsoft.Extensions.DependencyInjection;

namespace AutoMLStudio.Web.Tests;

/// <summary>The read side of searches in Core: what the search pages and the API read, on the studio's real database.</summary>
[Collection(StudioCollection.Name)]
public sealed class SearchQueriesTests(StudioApp app)
{
    [Fact]
    public async Task The_list_of_searches_names_each_dataset_and_shows_the_best_completed_value_in_the_metric_s_direction()
    {
        var dataset = new Dataset { Name = $"queries {Guid.NewGuid():N}", Kind = DatasetKind.Tabular, Status = DatasetStatus.Ready };
        var cost = new Search { DatasetId = dataset.Id, Metric = "cost", Status = SearchStatus.Completed, MaxTrials = 4 };
        var accuracy = new Search { DatasetId = dataset.Id, Metric = "accuracy", Status = SearchStatus.Running, CreatedAt = cost.CreatedAt.AddMinutes(1) };
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<StudioDbContext>();
            db.Datasets.Add(dataset);
            db.Searches.AddRange(cost, accuracy);
            foreach (var (search, number, status, value) in new[]
                     {
                         (cost, 1, TrialStatus.Completed, 0.5), (cost, 2, TrialStatus.Completed, 0.2), (cost, 3, TrialStatus.Failed, 0.01),
                         (accuracy, 1, TrialStatus.Completed, 0.6), (accuracy, 2, TrialStatus.Completed, 0.9), (accuracy, 3, TrialStatus.Pruned, 0.95),
                     })
                db.Trials.Add(new Trial { SearchId = search.Id, Number = number, Status = status, ValMetric = value, ConfigJson = "{}" });
            await db.SaveChangesAsync();
        }

        await using var reading = app.Services.CreateAsyncScope();
        var entries = (await reading.ServiceProvider.GetRequiredService<SearchQueries>().ListEntriesAsync(CancellationToken.None))
            .Where(e => e.DatasetId == dataset.Id).ToList();

        Assert.Equal([accuracy.Id, cost.Id], entries.Select(e => e.Id));
        Assert.All(entries, e => Assert.Equal(dataset.Name, e.DatasetName));
        var costEntry = entries[1];
        Assert.Equal(0.2, costEntry.BestValue);
        Assert.True(costEntry.Metric.LowerIsBetter);
        Assert.Equal((2, 4, "completed"), (costEntry.TrialsCompleted, costEntry.MaxTrials, costEntry.Status));
        Assert.Equal(0.9, entries[0].BestValue);
        Assert.Equal(SearchMetric.Accuracy, entries[0].Metric);
    }

    [Fact]
    public async Task A_search_s_heading_names_its_dataset_and_an_unknown_search_has_none()
    {
        var dataset = new Dataset { Name = $"heading {Guid.NewGuid():N}", Kind = DatasetKind.Image, Status = DatasetStatus.Ready };
        var search = new Search { DatasetId = dataset.Id, Metric = "macro_f1", Classes = ["cat", "dog"] };
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<StudioDbContext>();
            db.Datasets.Add(dataset);
            db.Searches.Add(search);
            await db.SaveChangesAsync();
        }

        await using var reading = app.Services.CreateAsyncScope();
        var queries = reading.ServiceProvider.GetRequiredService<SearchQueries>();
        var heading = await queries.HeadingAsync(search.Id, CancellationToken.None);

        Assert.NotNull(heading);
        Assert.Equal((dataset.Id, dataset.Name, "macro F1"), (heading.DatasetId, heading.DatasetName, heading.Metric.DisplayName));
        Assert.Equal(["cat", "dog"], heading.Classes);
        Assert.Null(await queries.HeadingAsync(Guid.NewGuid(), CancellationToken.None));
        var names = (await reading.ServiceProvider.GetRequiredService<Leaderboard>().DatasetsAsync(CancellationToken.None)).Select(d => d.Name).ToList();
        Assert.Contains(dataset.Name, names);
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
    }

    [Fact]
    public void A_search_metric_mirrors_the_engine_s_catalogue_and_ranks_either_direction()
    {
        Assert.Equal(SearchMetric.MacroF1, SearchMetric.Find(" MACRO_F1 "));
        Assert.Null(SearchMetric.Find("auc"));
        Assert.Equal(["accuracy", "macro_f1", "cost"], SearchMetric.Classification.Select(m => m.Name));
        Assert.Equal(["rmse", "mae"], SearchMetric.Regression.Select(m => m.Name));
        Assert.True(SearchMetric.Cost.IsBetter(0.1, 0.2));
        Assert.False(SearchMetric.Accuracy.IsBetter(0.1, 0.2));
        Assert.False(SearchMetric.Accuracy.IsBetter(double.NaN, 0.2));
        Assert.Equal(-3.5, SearchMetric.Rmse.Maximised(3.5));
        Assert.Equal(double.NegativeInfinity, SearchMetric.Accuracy.Maximised(double.NaN));
        Assert.True(SearchMetric.Accuracy.IsFraction);
        Assert.False(SearchMetric.Mae.IsFraction);
    }

    [Fact]
    public void A_search_space_view_has_an_axis_per_setting_and_places_trials_as_the_engine_s_scales_do()
    {
        var space = TabularParameterSpace.Create();
        var view = new SearchSpaceView(space);
        var settings = space.Sample(new Random(3));
        var point = new TrialPoint(settings);

        Assert.Equal(space.Dimensions.Select(d => d.Name), view.Axes.Select(a => a.Name));
        Assert.True(view.Contains(point));
        Assert.Equal(space.Dimensions.Select(d => ParameterScale.Position(d, settings[d.Name])), view.Positions(point));
        foreach (var (dimension, axis) in space.Dimensions.Zip(view.Axes))
        {
            if (dimension is CategoricalDimension categorical)
            {
                Assert.Equal(categorical.Choices, axis.Marks.Select(m => m.Text));
                Assert.Equal(categorical.Choices.Count, axis.Choices);
            }
            else
            {
                Assert.Equal(0, axis.Choices);
                Assert.Equal(((NumericDimension)dimension).Log, axis.Log);
            }
            Assert.All(axis.Marks, m => Assert.InRange(m.Position, 0, 1));
        }
        var learningRate = view.Axes.Single(a => a.Name == "learningRate");
        Assert.True(learningRate.Log);
        Assert.Equal([0, 0.5, 1], learningRate.Marks.Select(m => m.Position));
    }

    [Fact]
    public void The_pareto_front_follows_the_metric_s_direction_and_cost_matrices_follow_the_server_s_rules()
    {
        (double Metric, double Cost)[] points = [(0.1, 10), (0.2, 5), (0.3, 20)];

        Assert.Equal([(0.2, 5), (0.1, 10)], TrialFronts.Of(points, SearchMetric.Cost, p => p.Metric, p => p.Cost).OrderBy(p => p.Cost));
        Assert.Equal([(0.2, 5), (0.3, 20)], TrialFronts.Of(points, SearchMetric.Accuracy, p => p.Metric, p => p.Cost).OrderBy(p => p.Cost));
        Assert.Null(CostMatrixRules.Problem([[0, 1], [5, 0]], 2));
        Assert.NotNull(CostMatrixRules.Problem([[0, 0], [0, 0]], 2));
        Assert.NotNull(CostMatrixRules.Problem([[0, CostMatrixRules.MaxCost + 1], [1, 0]], 2));
    }
}
