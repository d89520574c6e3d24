using AutoMLStudio.Engine.Metrics;
using AutoMLStudio.Engine.Training;

namespace AutoMLStudio.Core.Searches.Pipelines;

/// <summary>A learner's epoch as the trial's epoch rows record it, for every task.</summary>
internal static class LearnerReports
{
    // Rows have one validation metric, which the epoch rows show as accuracy too (as they always have); images report
    // their accuracy beside the objective's value.
    public static EpochReport ToEpochReport(SupervisedEpochReport report) =>
        new(report.Epoch, report.TrainLoss, report.ValLoss, report.ValAccuracy ?? report.ValMetric, report.Seconds, report.ValMetric,
            report.ValConfusion is { } counts ? new ConfusionMatrix(counts) : null);
}
