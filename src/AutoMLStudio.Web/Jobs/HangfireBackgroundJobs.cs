using AutoMLStudio.Core;
using AutoMLStudio.Core.Datasets;
using AutoMLStudio.Core.Searches;
using Hangfire;

namespace AutoMLStudio.Web.Jobs;

/// <summary>Hangfire behind Core's job seam: imports, quality reports and search steps on <c>default</c>, trials on their device queue.</summary>
public sealed class HangfireBackgroundJobs(IBackgroundJobClient client) : IBackgroundJobs
{
    public const string ControlQueue = "default";

    /// <summary>The quality report follows the import as a continuation, so the import job needs no knowledge of it.</summary>
    public string EnqueueDatasetImport(Guid datasetId)
    {
        var importId = client.Enqueue<DatasetImportJob>(ControlQueue, job => job.RunAsync(datasetId, CancellationToken.None));
        client.ContinueJobWith<DatasetQualityJob>(importId, ControlQueue, job => job.RunAsync(datasetId, CancellationToken.None));
        return importId;
    }

    public string EnqueueQuality(Guid datasetId) =>
        client.Enqueue<DatasetQualityJob>(ControlQueue, job => job.RunAsync(datasetId, CancellationToken.None));

    public string EnqueueSearchStep(Guid searchId) =>
        client.Enqueue<SearchStepJob>(ControlQueue, job => job.RunAsync(searchId, CancellationToken.None));

    public string EnqueueTrial(Guid trialId, string queue) =>
        client.Enqueue<TrialJob>(queue, job => job.RunAsync(trialId, CancellationToken.None));

    public string ScheduleTrial(Guid trialId, string queue, TimeSpan delay) =>
        client.Schedule<TrialJob>(queue, job => job.RunAsync(trialId, CancellationToken.None), delay);

    public string EnqueueLabelSuggestions(Guid runId) =>
        client.Enqueue<Core.Suggestions.SuggestLabelsJob>(ControlQueue, job => job.RunAsync(runId, CancellationToken.None));

    public string EnqueueBatchPrediction(Guid batchId) =>
        client.Enqueue<Core.Hosting.BatchPredictionJob>(ControlQueue, job => job.RunAsync(batchId, CancellationToken.None));
}
