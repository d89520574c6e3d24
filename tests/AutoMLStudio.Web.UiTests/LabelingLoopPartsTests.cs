using AutoMLStudio.Core.Datasets;
using AutoMLStudio.Core.Searches;
using AutoMLStudio.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace AutoMLStudio.Web.UiTests;

/// <summary>The train form's transfer and suggestion choices, and the chart of accuracy against labels.</summary>
public sealed class LabelingLoopPartsTests : BunitTest
{
    [Fact]
    public void Without_registered_models_or_suggestions_the_form_offers_neither_choice()
    {
        var cut = Render<TrainForm>();

        Assert.Empty(cut.FindAll(".train-start-from"));
        Assert.Empty(cut.FindAll(".train-include-suggestions"));
    }

    [Fact]
    public async Task A_ticked_suggestion_box_and_a_chosen_model_go_into_the_request()
    {
        var modelId = Guid.NewGuid();
        TrainFormModel? started = null;
        var model = new TrainFormModel { StartFrom = new StartFromRequest(modelId, 2) };
        var cut = Render<TrainForm>(p => p
            .Add(c => c.Model, model)
            .Add(c => c.StartingModels, [new StartingModelChoice(modelId, 2, "shapes v2"), new StartingModelChoice(Guid.NewGuid(), 1, "other v1")])
            .Add(c => c.Suggestions, 24)
            .Add(c => c.OnStart, (TrainFormModel m) => started = m));

        Assert.Contains("shapes v2", cut.Find(".train-start-from").TextContent);
        Assert.Contains("Keeps that model's network and what it learned", cut.Markup);
        Assert.Contains("Also learn from the 24 suggestions nobody has confirmed yet", cut.Find(".train-include-suggestions").TextContent);
        await cut.Find(".train-include-suggestions input").ChangeAsync(new ChangeEventArgs { Value = true });
        await cut.Find("button.start-training").ClickAsync(new MouseEventArgs());

        var request = started!.ToRequest(Guid.NewGuid());
        Assert.Equal(new StartFromRequest(modelId, 2), request.StartFrom);
        Assert.True(request.IncludeSuggestions);
    }

    [Fact]
    public void Unticked_the_request_leaves_suggestions_out_and_starts_from_scratch()
    {
        var request = new TrainFormModel().ToRequest(Guid.NewGuid());

        Assert.Null(request.StartFrom);
        Assert.Null(request.IncludeSuggestions);
    }

    [Fact]
    public void The_chart_plots_rounds_from_fewest_labels_with_their_accuracy_and_explains_itself_when_empty()
    {
        var empty = Render<LabelProgressChart>(p => p.Add(c => c.Rounds, []));
        Assert.Contains("Each finished search adds a point here", empty.Find(".label-progress-empty").TextContent);

        var now = DateTimeOffset.UtcNow;
        var cut = Render<LabelProgressChart>(p => p.Add(c => c.Rounds,
            [new LabelRound(Guid.NewGuid(), 40, 0.62, now), new LabelRound(Guid.NewGuid(), 200, 0.81, now), new LabelRound(Guid.NewGuid(), 400, 0.86, now)]));

        var points = cut.FindAll("circle.label-round");
        Assert.Equal(["40", "200", "400"], points.Select(p => p.GetAttribute("data-labels")));
        Assert.Equal("200 labels: 81.0% test accuracy", points[1].QuerySelector("title")!.TextContent);
        var x = points.Select(p => double.Parse(p.GetAttribute("cx")!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var y = points.Select(p => double.Parse(p.GetAttribute("cy")!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.True(x[0] < x[1] && x[1] < x[2], "more labels lie further right");
        Assert.True(y[0] > y[1] && y[1] > y[2], "higher accuracy lies higher");
    }
}
