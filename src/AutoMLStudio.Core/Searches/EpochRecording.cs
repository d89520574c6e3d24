using System.Text.Json;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Engine.Metrics;
using AutoMLStudio.Engine.Training;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AutoMLStudio.Core.Searches;

/// <summary>
/// Writes a trial's epoch once (a resumed run reports it again), keeps the trial's best validation figures, renews
/// the lease with them, and publishes the epoch to the search's listeners.
/// </summary>
public sealed class EpochRecording(StudioDbContext db, ISearchEventPublisher events, TimeProvider clock, IOptions<StudioOptions> options)
{
    /// <exception cref="LeaseLostException">Another worker took the trial over: its lease had expired.</exception>
    public async Task RecordAsync(Trial trial, MetricDefinition metric, EpochReport report, string leaseOwner, CancellationToken ct)
    {
        var exists = await db.EpochMetrics.AnyAsync(m => m.TrialId == trial.Id && m.Epoch == report.Epoch, ct);
        if (!exists)
        {
            db.EpochMetrics.Add(new EpochMetric
            {
                TrialId = trial.Id, Epoch = report.Epoch, TrainLoss = report.TrainLoss, ValLoss = report.ValLoss,
                ValMetric = report.Score, Seconds = report.Seconds,
            });
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }

        // The earliest of the best epochs, as the trainer picks best.weights; the confusion matrix follows when it is this one.
        var epochs = await db.EpochMetrics.AsNoTracking().Where(m => m.TrialId == trial.Id).OrderBy(m => m.Epoch).ToListAsync(ct);
        var best = epochs.Aggregate((a, b) => metric.IsBetter(b.ValMetric, a.ValMetric) ? b : a);
        var confusion = best.Epoch == report.Epoch ? report.ValConfusion : null;
        var expires = clock.GetUtcNow().AddSeconds(options.Value.Training.LeaseSeconds);
        var renewed = await db.Trials.Where(t => t.Id == trial.Id && t.LeaseOwner == leaseOwner).ExecuteUpdateAsync(s =>
        {
            s.SetProperty(t => t.ValMetric, best.ValMetric).SetProperty(t => t.ValLoss, best.ValLoss).SetProperty(t => t.LeaseExpiresAt, expires);
            if (confusion is not null) s.SetProperty(t => t.ValConfusion, confusion);
        }, ct);
        if (renewed == 0) throw new LeaseLostException();

        if (!exists)
            await events.PublishAsync(new EpochCompleted(trial.SearchId, trial.Id, trial.Number, report.Epoch, report.TrainLoss,
                report.ValLoss, report.Score, report.Seconds));
    }
}
