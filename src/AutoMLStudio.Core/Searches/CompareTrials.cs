using System.Globalization;
using AutoMLStudio.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace AutoMLStudio.Core.Searches;

/// <summary>A setting lined up across compared trials: one value per trial, in the trials' order; null where a trial has no such setting.</summary>
public sealed record ComparedSetting(string Group, string Name, IReadOnlyList<string?> Values)
{
    public bool Differs => Values.Distinct(StringComparer.Ordinal).Skip(1).Any();
}

/// <summary>Trials of one search side by side: the trials (with their epochs) in number order, and their settings row by row.</summary>
public sealed record TrialComparison(Search Search, IReadOnlyList<Trial> Trials, IReadOnlyList<ComparedSetting> Settings)
{
    public static TrialComparison Of(Search search, IReadOnlyList<Trial> trials)
    {
        var perTrial = trials.Select(t => TrialSettings.Of(t, search.Task)).ToList();
        var rows = LinedUp(perTrial.Select(settings => settings.Select(s => (s.Group, s.Name))));
        var valuesPerTrial = perTrial.Select(settings => settings.ToDictionary(s => (s.Group, s.Name), string? (s) => s.Value)).ToList();
        return new TrialComparison(search, trials,
            [.. rows.Select(row => new ComparedSetting(row.Group, row.Name, [.. valuesPerTrial.Select(values => values.GetValueOrDefault(row))]))]);
    }

    // A setting only some trials have (a third stage) goes right after the setting before it in those trials, so stage 3
    // follows stage 2 instead of trailing after the training settings.
    private static List<(string Group, string Name)> LinedUp(IEnumerable<IEnumerable<(string Group, string Name)>> settingsPerTrial)
    {
        var rows = new List<(string Group, string Name)>();
        foreach (var settings in settingsPerTrial)
        {
            var after = -1;
            foreach (var setting in settings)
            {
                var at = rows.IndexOf(setting);
                if (at < 0) rows.Insert(at = after + 1, setting);
                after = at;
            }
        }
        return rows;
    }
}

/// <summary>Lays two or more trials of a search side by side, named by their numbers as the trial table shows them ("1,3,4").</summary>
public sealed class CompareTrials(StudioDbContext db)
{
    /// <summary>More columns than this no longer fit side by side, and the curves run out of distinct colours.</summary>
    public const int MaxTrials = 8;

    public async Task<TrialComparison> HandleAsync(Guid searchId, string? trialNumbers, CancellationToken ct)
    {
        var numbers = ParseNumbers(trialNumbers);
        var search = await db.Searches.AsNoTracking()
                         .Include(s => s.Trials.Where(t => numbers.Contains(t.Number))).ThenInclude(t => t.Epochs)
                         .AsSplitQuery().SingleOrDefaultAsync(s => s.Id == searchId, ct)
                     ?? throw UserInputException.NotFound("Search", searchId);
        var missing = numbers.Except(search.Trials.Select(t => t.Number)).ToList();
        if (missing.Count > 0)
        {
            var count = await db.Trials.CountAsync(t => t.SearchId == searchId, ct);
            throw new UserInputException("Unknown trials", $"This search has no trial {string.Join(" or ", missing)}; "
                + (count == 0 ? "it has no trials yet." : $"its trials are numbered 1 to {count}. Pick trials from its trial table."));
        }
        return TrialComparison.Of(search, [.. search.Trials.OrderBy(t => t.Number)]);
    }

    public static IReadOnlyList<int> ParseNumbers(string? trialNumbers)
    {
        var parts = (trialNumbers ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var numbers = new List<int>();
        foreach (var part in parts)
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
                throw new UserInputException("Trials not understood",
                    $"'{part}' is not a trial number. Name the trials by their numbers, separated by commas, for example trials=1,3.");
            if (!numbers.Contains(number)) numbers.Add(number);
        }
        if (numbers.Count < 2)
            throw new UserInputException("Too few trials",
                $"Choose two or more trials to compare; {(numbers.Count == 0 ? "none was" : $"only trial {numbers[0]} was")} given.");
        if (numbers.Count > MaxTrials)
            throw new UserInputException("Too many trials", $"Compare at most {MaxTrials} trials at a time; {numbers.Count} were given.");
        return numbers;
    }
}
