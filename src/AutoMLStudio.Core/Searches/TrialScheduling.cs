using AutoMLStudio.Core.Data;
using AutoMLStudio.Engine.Learners;
using AutoMLStudio.Engine.Scheduling;
using Microsoft.EntityFrameworkCore;

namespace AutoMLStudio.Core.Searches;

/// <summary>Whether a trial goes on after an epoch, as the search's early-stopping scheduler (ASHA, median) decides.</summary>
public sealed class TrialScheduling(StudioDbContext db)
{
    // The scheduler is rebuilt from the search's epoch rows in the order they were written, so every worker, and a
    // restarted one, decides exactly as one long-lived scheduler would have.
    public async Task<SchedulerDecision> ScheduleAsync(Search search, int number, int epoch, CancellationToken ct)
    {
        if (search.Scheduler == SearchScheduler.None) return SchedulerDecision.Continue;
        var metric = search.MetricDefinition();
        var scheduler = TrialSchedulers.Create(search.Scheduler.Name(), search.EpochsPerTrial(), metricName: $"validation {metric.DisplayName}",
            direction: metric.Direction);
        var reports = await db.EpochMetrics
            .Join(db.Trials.Where(t => t.SearchId == search.Id), m => m.TrialId, t => t.Id, (m, t) => new { m.Id, t.Number, m.Epoch, m.ValMetric })
            .OrderBy(r => r.Id).ToListAsync(ct);
        // A trial races only trials of its own learner: a forest at a quarter of its trees is nearly done, boosting at a
        // quarter of its rounds has barely started, so an epoch (a stage) means something else for each learner.
        var learners = (await db.Trials.Where(t => t.SearchId == search.Id).Select(t => new { t.Number, t.ConfigJson }).ToListAsync(ct))
            .ToDictionary(t => t.Number, t => LearnerChoice.LearnerOf(t.ConfigJson, ""));
        var own = learners.GetValueOrDefault(number, "");
        var decision = SchedulerDecision.Continue;
        foreach (var r in reports.Where(r => learners.GetValueOrDefault(r.Number, "") == own))
        {
            var made = scheduler.Report(r.Number, r.Epoch, r.ValMetric);
            if (r.Number == number && r.Epoch == epoch) decision = made;
        }
        return decision;
    }
}
