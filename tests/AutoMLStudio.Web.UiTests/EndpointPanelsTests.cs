using AutoMLStudio.Core.Hosting;
using AutoMLStudio.Web.Components.Pages.Endpoints;

namespace AutoMLStudio.Web.UiTests;

/// <summary>The pieces of the endpoint page that hold logic: the probability bars, the per-minute charts, drift and the sample calls.</summary>
public sealed class EndpointPanelsTests : BunitTest
{
    private const string Hostile = "<script>alert(1)</script>";

    private static Prediction Classified(params (string Name, double P)[] scores) =>
        new(scores.MaxBy(s => s.P).Name, scores.Max(s => s.P), scores.ToDictionary(s => s.Name, s => s.P));

    [Fact]
    public void Top_classes_show_the_three_likeliest_first_with_bars_as_wide_as_their_probability()
    {
        var prediction = Classified(("blue", 0.05), ("green", 0.15), ("red", 0.7), ("grey", 0.1));

        var cut = Render<TopClassBars>(p => p.Add(c => c.Prediction, prediction));

        var rows = cut.FindAll("li.top-class");
        Assert.Equal(["red", "green", "grey"], rows.Select(r => r.QuerySelector(".top-class-name")!.TextContent));
        Assert.Equal(["70.0%", "15.0%", "10.0%"], rows.Select(r => r.QuerySelector(".probability")!.TextContent));
        Assert.Equal("width:70%", rows[0].QuerySelector(".probability-bar > span")!.GetAttribute("style"));
        Assert.Equal("width:15%", rows[1].QuerySelector(".probability-bar > span")!.GetAttribute("style"));
    }

    [Fact]
    public void Top_classes_keep_the_models_order_for_ties_and_never_overflow_the_bar()
    {
        var prediction = new Prediction("a", 1.0000001, new Dictionary<string, double> { ["a"] = 1.0000001, ["b"] = 0, ["c"] = 0, ["d"] = 0 });

        var top = TopClasses.Of(prediction);

        Assert.Equal(["a", "b", "c"], top.Select(t => t.Name));
        Assert.Equal("100%", TopClasses.Width(top[0].Probability));
        Assert.Equal("0%", TopClasses.Width(double.NaN));
    }

    [Fact]
    public void A_regression_shows_its_value_and_a_hostile_class_name_stays_text()
    {
        var value = Render<TopClassBars>(p => p.Add(c => c.Prediction, new Prediction(null, null, null, 12.3456)));
        var hostile = Render<TopClassBars>(p => p.Add(c => c.Prediction, Classified((Hostile, 0.9), ("ok", 0.1))));

        Assert.Equal("Predicted value: 12.3456", value.Find(".predicted-value").TextContent);
        Assert.Empty(value.FindAll("li.top-class"));
        Assert.Empty(hostile.FindAll("script"));
        Assert.Equal(Hostile, hostile.Find(".top-class-name").TextContent);
    }

    [Theory]
    [InlineData(0, false, new[] { 0.0, 0.5, 1 })]
    [InlineData(3, true, new[] { 0.0, 1, 2, 3 })]
    [InlineData(7, true, new[] { 0.0, 2, 4, 6, 8 })]
    [InlineData(140, true, new[] { 0.0, 50, 100, 150 })]
    [InlineData(3.2, false, new[] { 0.0, 1, 2, 3, 4 })]
    [InlineData(0.42, false, new[] { 0.0, 0.2, 0.4, 0.6 })]
    public void Axis_ticks_are_round_start_at_zero_and_reach_the_largest_value(double max, bool whole, double[] expected) =>
        Assert.Equal(expected, ChartAxis.Ticks(max, whole));

    [Fact]
    public void The_minute_chart_scales_to_the_largest_count_and_leaves_gaps_for_minutes_without_requests()
    {
        var start = new DateTimeOffset(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);
        var minutes = Enumerable.Range(0, 5).Select(i => start.AddMinutes(i)).ToList();
        ChartSeries[] series =
        [
            new("requests", "Requests", "#1e88e5", [3, 0, 7, 2, 1]),
            new("p50", "p50", "#43a047", [2.5, null, 4, 1, null]),
        ];

        var cut = Render<MinuteChart>(p => p.Add(c => c.Title, "Traffic").Add(c => c.Minutes, minutes).Add(c => c.Series, series).Add(c => c.Whole, true));

        Assert.Equal(["0", "2", "4", "6", "8"], cut.FindAll(".y-tick text").Select(t => t.TextContent));
        var requests = cut.Find(".series-requests");
        Assert.Single(requests.QuerySelectorAll("polyline"));
        Assert.Equal(5, requests.QuerySelectorAll("circle").Length);
        // 7 of 8 is 7/8 of the plot's height (220 - 12 - 28 = 180) above the x axis at 192: y = 192 - 157.5 = 34.5.
        Assert.Equal("34.5", requests.QuerySelectorAll("circle")[2].GetAttribute("cy"));
        // The latency has no value in minutes 2 and 5: one line over minutes 3-4 and a lone point for minute 1.
        var latency = cut.Find(".series-p50");
        Assert.Single(latency.QuerySelectorAll("polyline"));
        Assert.Equal(3, latency.QuerySelectorAll("circle").Length);
        Assert.Equal(2, latency.QuerySelector("polyline")!.GetAttribute("points")!.Split(' ').Length);
    }

    [Fact]
    public void Drift_is_shown_as_a_warning_only_when_the_predicted_classes_moved_away_from_testing()
    {
        var stable = ClassDrift.From(["a", "b"], [50, 50], new Dictionary<string, long> { ["a"] = 30, ["b"] = 30 });
        var drifted = ClassDrift.From(["a", "b"], [50, 50], new Dictionary<string, long> { ["a"] = 58, ["b"] = 2 });

        var calm = Render<ClassSharesView>(p => p.Add(c => c.Drift, stable));
        var alarm = Render<ClassSharesView>(p => p.Add(c => c.Drift, drifted));

        Assert.Empty(calm.FindAll(".drift-alert"));
        Assert.Contains("Stable", calm.Find(".drift-summary").TextContent);
        Assert.Contains("Drift", alarm.Find(".drift-alert").TextContent);
        Assert.Equal(["58 (96.7%)", "2 (3.3%)"], alarm.FindAll(".class-share td.num:nth-child(2)").Select(c => c.TextContent));
    }

    [Fact]
    public void Sample_requests_for_images_post_a_file_to_this_endpoint_with_the_key_from_the_environment()
    {
        var id = Guid.NewGuid();
        var url = SampleRequests.PredictUrl("http://studio.local:5000/", id);

        var curl = SampleRequests.Curl(EndpointInput.Images, url, []);
        var csharp = SampleRequests.CSharp(EndpointInput.Images, url, []);

        Assert.Equal($"http://studio.local:5000/api/v1/endpoints/{id}/predict", url);
        Assert.Equal($"curl -X POST \"{url}\" \\\n  -H \"Authorization: Bearer $STUDIO_KEY\" \\\n  -F \"file=@photo.png\"", curl);
        Assert.Contains($"await http.PostAsync(\"{url}\", form)", csharp);
        Assert.Contains("Environment.GetEnvironmentVariable(\"STUDIO_KEY\")", csharp);
    }

    [Fact]
    public void Sample_requests_for_rows_name_every_column_quoted_safely_for_the_shell_and_for_csharp()
    {
        var url = SampleRequests.PredictUrl("http://studio.local/", Guid.Empty);
        string[] fields = ["colour", "it's \"size\""];

        var curl = SampleRequests.Curl(EndpointInput.Rows, url, fields);
        var csharp = SampleRequests.CSharp(EndpointInput.Rows, url, fields);
        var text = SampleRequests.Curl(EndpointInput.Text, url, []);

        Assert.EndsWith("""-d '{"instances":[{"colour":"value","it'\''s \"size\"":"value"}]}'""", curl);
        Assert.Contains("""["it's \"size\""] = "value" """.TrimEnd(), csharp);
        Assert.Contains("PostAsJsonAsync", csharp);
        Assert.EndsWith("""-d '{"instances":[{"text":"Your text here"}]}'""", text);
    }

    [Fact]
    public void The_sample_answer_shows_the_models_own_classes_or_a_value()
    {
        Assert.Equal("""{"predictions": [{"label": "red", "score": 0.91, "scores": {"red": 0.91, "green": 0.07, "blue": 0.02, ...}}]}""",
            SampleRequests.Answer(["red", "green", "blue", "grey"], regression: false));
        Assert.Equal("""{"predictions": [{"value": 42.5}]}""", SampleRequests.Answer([], regression: true));
    }
}
