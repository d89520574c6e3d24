using AutoMLStudio.Core;
using AutoMLStudio.Core.Datasets;
using AutoMLStudio.Core.Searches;
using Hangfire;

namespace AutoMLStudio.Web.Jobs;

/// <summary>Hangfire behind Core's job seam: imports and search steps on <c>default</c>, trials on their device queue.</summary>
public sealed class HangfireBackgroundJobs(IBackgroundJobClient client) : IBackgroundJobs
{
    public const string ControlQueue = "default";

    public string EnqueueDatasetImport(Guid datasetId) =>
        client.Enqueue<DatasetImportJob>(ControlQueue, job => job.RunAsync(datasetId, CancellationToken.None));

    public string EnqueueSearchStep(Guid searchId) =>
        client.Enqueue<SearchStepJob>(ControlQueue, job => job.RunAsync(searchId, CancellationToken.None));

    public string EnqueueTrial(Guid trialId, string queue) =>
        client.Enqueue<TrialJob>(queue, job => job.RunAsync(trialId, CancellationToken.None));
}
