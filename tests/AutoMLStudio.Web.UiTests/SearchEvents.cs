using AutoMLStudio.Core.Searches;

namespace AutoMLStudio.Web.UiTests;

/// <summary>A recorded search: two trials of three epochs, the second failing after one epoch.</summary>
public static class RecordedSearch
{
    public static readonly Guid SearchId = Guid.Parse("5e4c1a70-0000-0000-0000-000000000001");
    public static readonly Guid Trial1 = Guid.Parse("5e4c1a70-0000-0000-0000-0000000000a1");
    public static readonly Guid Trial2 = Guid.Parse("5e4c1a70-0000-0000-0000-0000000000a2");

    public static IReadOnlyList<SearchEvent> Events { get; } =
    [
        new TrialStarted(SearchId, Trial1, 1, "cpu"),
        new EpochCompleted(SearchId, Trial1, 1, 1, 1.05, 0.98, 0.52, 1.2),
        new TrialStarted(SearchId, Trial2, 2, "cpu"),
        new EpochCompleted(SearchId, Trial1, 1, 2, 0.71, 0.66, 0.74, 1.1),
        new EpochCompleted(SearchId, Trial2, 2, 1, 1.20, 1.10, 0.40, 1.3),
        new EpochCompleted(SearchId, Trial1, 1, 3, 0.42, 0.45, 0.88, 1.1),
        new TrialCompleted(SearchId, Trial1, 1, "completed", 0.88, 12_345, null),
        new TrialCompleted(SearchId, Trial2, 2, "failed", null, 54_321, "The loss became NaN: the learning rate is too high."),
    ];
}
