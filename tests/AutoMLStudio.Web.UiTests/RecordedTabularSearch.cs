using AutoMLStudio.Core.Searches;
using AutoMLStudio.Engine.Search;
using AutoMLStudio.Engine.Tabular;
using AutoMLStudio.Web.Components.Shared;

namespace AutoMLStudio.Web.UiTests;

/// <summary>
/// A recorded tabular search as the search page holds it: ten trials over the tabular space, whose validation accuracy
/// was driven by the learning rate (best near 1e-3), the last two still running; and the events that complete them.
/// </summary>
public static class RecordedTabularSearch
{
    public static readonly Guid SearchId = Guid.Parse("7ab1e000-0000-0000-0000-000000000001");

    public static ParameterSpace Space { get; } = TabularParameterSpace.Create();

    // The settings each trial was given (the same on every call: one seed), for scoring a trial that completes later.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, ParameterSet> Points = new();

    public static SearchLiveState State(int completed = 8)
    {
        var rng = new Random(11);
        var state = new SearchLiveState(SearchId);
        state.Load(Enumerable.Range(1, 10).Select(number =>
        {
            var point = Space.Sample(rng);
            Points[TrialId(number)] = point;
            return new TrialView
            {
                Id = TrialId(number), Number = number, Status = number <= completed ? "completed" : "running", Parameters = new TrialPoint(point),
                ValAccuracy = number <= completed ? Accuracy(point) : null, Params = 2_000 * number, Flops = 4_000 * number, LatencyMs = 0.1 * number,
            };
        }));
        return state;
    }

    /// <summary>The event that completes running trial <paramref name="number"/> with the accuracy its settings earn.</summary>
    public static TrialCompleted Completion(SearchLiveState state, int number)
    {
        var trial = state.Trials.Single(t => t.Number == number);
        return new TrialCompleted(SearchId, trial.Id, number, "completed", Accuracy(Points[trial.Id]), trial.Params, null);
    }

    private static double Accuracy(ParameterSet p) =>
        0.95 - 0.08 * Math.Abs(Math.Log10(p.GetDouble("learningRate")) + 3) - 0.01 * p.GetDouble("dropout");

    private static Guid TrialId(int number) => Guid.Parse($"7ab1e000-0000-0000-0000-{number:000000000000}");
}
