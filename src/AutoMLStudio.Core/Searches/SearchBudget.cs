using System.Globalization;
using System.Text.Json.Serialization;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Engine.Metrics;
using Microsoft.EntityFrameworkCore;

namespace AutoMLStudio.Core.Searches;

/// <summary>What a search's budget means in numbers: its trials' epochs and the trials its strategy plans for.</summary>
public static class SearchBudget
{
    /// <summary>Epochs every trial trains: the person's limit, else the search's plan (every search has one of the two).</summary>
    public static int EpochsPerTrial(this Search search) => search.MaxEpochsPerTrial ?? search.PlannedEpochsPerTrial
        ?? throw new InvalidDataException($"Search {search.Id} has neither an epoch limit nor a plan.");

    /// <summary>
    /// Trials the strategy plans for (TPE's random start, evolution's population, NAC's final trials): the person's limit,
    /// else what the minutes are expected to buy. Carried-over trials come on top.
    /// </summary>
    public static int ExpectedTrials(this Search search, IReadOnlyList<Trial> trials) =>
        trials.Count(t => t.InheritedFromSearchId is not null) + (search.MaxTrials ?? search.PlannedTrials
            ?? throw new InvalidDataException($"Search {search.Id} has neither a trial limit nor a plan."));

    /// <summary>"0.4", "6": minutes as a person writes them.</summary>
    public static string Minutes(double minutes) => minutes.ToString("0.##", CultureInfo.InvariantCulture);
}

/// <summary>Which limit ended a search (<see cref="Search.EndReasonCode"/>); stored and sent as "minutes", "nothing_fits" and so on.</summary>
[JsonConverter(typeof(WireNameJsonConverter<SearchEndReason>))]
public enum SearchEndReason { Minutes, Trials, Converged, Cancelled, Failed, NothingFits }

public static class SearchEndReasons
{
    public const SearchEndReason Minutes = SearchEndReason.Minutes;
    public const SearchEndReason Trials = SearchEndReason.Trials;
    public const SearchEndReason Converged = SearchEndReason.Converged;
    public const SearchEndReason Cancelled = SearchEndReason.Cancelled;
    public const SearchEndReason Failed = SearchEndReason.Failed;
    public const SearchEndReason NothingFits = SearchEndReason.NothingFits;

    /// <summary>"nothing_fits": the word the API and the database use.</summary>
    public static string Name(this SearchEndReason reason) => WireNames<SearchEndReason>.Name(reason);

    /// <summary>The sentence for a search that ended by <paramref name="code"/> after running <paramref name="own"/> trials of its own.</summary>
    public static string Message(SearchEndReason code, Search search, int own, string? detail = null) => code switch
    {
        Minutes => $"Used its {SearchBudget.Minutes(search.MaxMinutes)} minutes: {own} trial{(own == 1 ? "" : "s")}.",
        Trials => $"Reached its {search.MaxTrials} trial{(search.MaxTrials == 1 ? "" : "s")}.",
        Converged => detail ?? "Converged.",
        NothingFits => $"No further model fits the limits: {detail}",
        Cancelled => "Cancelled.",
        _ => detail ?? "Failed.",
    };
}

/// <summary>The convergence rule of <see cref="ConvergenceOptions"/>, over a search's completed trials.</summary>
public static class Convergence
{
    /// <summary>Why the search has converged, in words; null while it has not.</summary>
    public static string? Check(Search search, IReadOnlyList<Trial> trials, ConvergenceOptions rule, DateTimeOffset now)
    {
        if (rule.Trials <= 0) return null;
        var metric = search.MetricDefinition();
        var completed = trials.Where(t => t.Status == TrialStatus.Completed && t.ValMetric is not null)
            .OrderBy(t => t.CompletedAt ?? DateTimeOffset.MinValue).ThenBy(t => t.Number).ToList();
        if (completed.Count(t => t.InheritedFromSearchId is null) < rule.Trials) return null;
        double? best = null;
        var lastImprovement = -1;
        var lastImprovedAt = DateTimeOffset.MinValue;
        for (var i = 0; i < completed.Count; i++)
        {
            var value = metric.Maximised(completed[i].ValMetric!.Value);
            if (best is null || value > best + rule.MinImprovement)
            {
                lastImprovement = i;
                lastImprovedAt = completed[i].CompletedAt ?? now;
            }
            best = best is null ? value : Math.Max(best.Value, value);
        }
        var since = completed.Count - 1 - lastImprovement;
        if (since < rule.Trials || now - lastImprovedAt < TimeSpan.FromMinutes(rule.Minutes)) return null;
        return $"Converged: no trial improved validation {metric.DisplayName} by more than {Amount(metric, rule.MinImprovement)} "
               + $"in the last {rule.Trials} trials and {SearchBudget.Minutes(rule.Minutes)} minutes.";
    }

    private static string Amount(MetricDefinition metric, double value) => metric.IsFraction
        ? $"{(value * 100).ToString("0.###", CultureInfo.InvariantCulture)} points"
        : value.ToString("0.####", CultureInfo.InvariantCulture);
}

/// <summary>What early stopping did in a search: how many trials it stopped, by the epoch they stopped after.</summary>
public sealed record EarlyStoppingSummary(int Pruned, IReadOnlyDictionary<int, int> ByEpoch)
{
    /// <summary>From each pruned trial's error and the epochs it trained; trials stopped because they diverged are not early stopping.</summary>
    public static EarlyStoppingSummary From(IEnumerable<(TrialStatus Status, string? Error, int Epochs)> trials)
    {
        var stopped = trials.Where(t => t.Status == TrialStatus.Pruned && t.Error?.StartsWith("Training diverged", StringComparison.Ordinal) != true).ToList();
        return new EarlyStoppingSummary(stopped.Count,
            new SortedDictionary<int, int>(stopped.GroupBy(t => t.Epochs).ToDictionary(g => g.Key, g => g.Count())));
    }

    /// <summary>Each search's summary, from its pruned trials and the epochs they trained (one query, however many searches).</summary>
    public static async Task<Dictionary<Guid, EarlyStoppingSummary>> ForSearchesAsync(Data.StudioDbContext db, IReadOnlyCollection<Guid> searchIds, CancellationToken ct)
    {
        var pruned = await db.Trials.AsNoTracking().Where(t => searchIds.Contains(t.SearchId) && t.Status == TrialStatus.Pruned)
            .Select(t => new { t.SearchId, t.Status, t.Error, Epochs = t.Epochs.Count }).ToListAsync(ct);
        return searchIds.ToDictionary(id => id, id => From(pruned.Where(p => p.SearchId == id).Select(p => (p.Status, p.Error, p.Epochs))));
    }

    /// <summary>"ASHA stopped 12 trials early: 8 after epoch 1, 4 after epoch 3", or null when the search has no early stopping.</summary>
    public string? Describe(SearchScheduler scheduler)
    {
        var name = scheduler switch { SearchScheduler.Asha => "ASHA", SearchScheduler.Median => "Median stopping", _ => (string?)null };
        if (name is null) return Pruned == 0 ? null : $"{Pruned} trial{(Pruned == 1 ? " was" : "s were")} stopped early.";
        if (Pruned == 0) return $"{name} stopped no trial early.";
        return $"{name} stopped {Pruned} trial{(Pruned == 1 ? "" : "s")} early: "
               + string.Join(", ", ByEpoch.Select(e => $"{e.Value} after epoch {e.Key}")) + ".";
    }
}
