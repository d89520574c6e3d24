namespace AutoMLStudio.Core;

/// <summary>
/// The seam to the job queue (Hangfire in the host). Jobs carry only ids; the row in the database is the state.
/// Each method returns the queue's job id.
/// </summary>
public interface IBackgroundJobs
{
    string EnqueueDatasetImport(Guid datasetId);
    string EnqueueQuality(Guid datasetId);
    string EnqueueSearchStep(Guid searchId);
    string EnqueueTrial(Guid trialId, string queue);
    /// <summary>The trial's job again after <paramref name="delay"/>, on its device queue (a paused or draining device defers it).</summary>
    string ScheduleTrial(Guid trialId, string queue, TimeSpan delay);
    string EnqueueBatchPrediction(Guid batchId);
    string EnqueueLabelSuggestions(Guid runId);
}
