using System.Collections.Concurrent;
using AutoMLStudio.Core;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Datasets;
using AutoMLStudio.Core.Searches;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AutoMLStudio.Bench;

/// <summary>
/// The product's Core (SQLite, artifact store, use cases, jobs) without a web server or Hangfire: what the use cases
/// enqueue waits here, and <see cref="RunQueuedAsync"/> runs it one job at a time, each in its own scope, as a single
/// queue worker would.
/// </summary>
public sealed class InProcessStudio : IBackgroundJobs, ISearchEventPublisher, IDatasetEventPublisher, IDisposable
{
    private readonly ConcurrentQueue<(string Kind, Guid Id)> _queue = new();
    private readonly IHost _host;

    private InProcessStudio(string dataDir, IReadOnlyDictionary<string, string> settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["Studio:DataDir"] = dataDir;
        foreach (var (key, value) in settings) builder.Configuration[key] = value;
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddStudioCore();
        builder.Services.AddSingleton<IBackgroundJobs>(this);
        builder.Services.AddSingleton<ISearchEventPublisher>(this);
        builder.Services.AddSingleton<IDatasetEventPublisher>(this);
        _host = builder.Build();
    }

    public static async Task<InProcessStudio> StartAsync(string dataDir, IReadOnlyDictionary<string, string>? settings = null)
    {
        var studio = new InProcessStudio(dataDir, settings ?? new Dictionary<string, string>());
        await studio.UseAsync<StudioDbContext>(db => db.InitializeDatabaseAsync());
        return studio;
    }

    /// <summary>Runs <paramref name="action"/> with a service from a fresh scope, as one request or job would.</summary>
    public async Task<T> UseAsync<TService, T>(Func<TService, Task<T>> action) where TService : notnull
    {
        await using var scope = _host.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public async Task UseAsync<TService>(Func<TService, Task> action) where TService : notnull =>
        await UseAsync<TService, bool>(async service =>
        {
            await action(service);
            return true;
        });

    /// <summary>Uploads a zip the way the REST API does and returns the new dataset's id; its import job is queued.</summary>
    public Task<Guid> UploadAsync(string zipPath) =>
        UseAsync<UploadDataset, Guid>(async upload =>
        {
            await using var file = File.OpenRead(zipPath);
            var request = new UploadDatasetRequest("bench", [new UploadedFile(Path.GetFileName(zipPath), file)], null);
            return (await upload.HandleAsync(request, CancellationToken.None)).Id;
        });

    /// <summary>Runs queued jobs, and the jobs they queue, until none is left; <paramref name="afterJob"/> sees each one.</summary>
    public async Task RunQueuedAsync(Func<string, Guid, Task>? afterJob = null)
    {
        while (_queue.TryDequeue(out var job))
        {
            await (job.Kind switch
            {
                "import" => UseAsync<DatasetImportJob>(j => j.RunAsync(job.Id, CancellationToken.None)),
                "quality" => UseAsync<DatasetQualityJob>(j => j.RunAsync(job.Id, CancellationToken.None)),
                "step" => UseAsync<SearchStepJob>(j => j.RunAsync(job.Id, CancellationToken.None)),
                "suggest" => UseAsync<Core.Suggestions.SuggestLabelsJob>(j => j.RunAsync(job.Id, CancellationToken.None)),
                _ => UseAsync<TrialJob>(j => j.RunAsync(job.Id, CancellationToken.None)),
            });
            if (afterJob is not null) await afterJob(job.Kind, job.Id);
        }
    }

    string IBackgroundJobs.EnqueueDatasetImport(Guid datasetId) => Enqueue("import", datasetId);
    string IBackgroundJobs.EnqueueQuality(Guid datasetId) => Enqueue("quality", datasetId);
    string IBackgroundJobs.EnqueueSearchStep(Guid searchId) => Enqueue("step", searchId);
    string IBackgroundJobs.EnqueueTrial(Guid trialId, string queue) => Enqueue("trial", trialId);
    // The bench never pauses a device; a deferred trial simply goes to the back of the queue.
    string IBackgroundJobs.ScheduleTrial(Guid trialId, string queue, TimeSpan delay) => Enqueue("trial", trialId);
    string IBackgroundJobs.EnqueueBatchPrediction(Guid batchId) => Enqueue("batch", batchId);
    string IBackgroundJobs.EnqueueLabelSuggestions(Guid runId) => Enqueue("suggest", runId);

    private string Enqueue(string kind, Guid id)
    {
        _queue.Enqueue((kind, id));
        return $"bench-{kind}-{id:N}";
    }

    // Nobody watches live events in a benchmark.
    Task ISearchEventPublisher.PublishAsync(SearchEvent searchEvent) => Task.CompletedTask;
    Task IDatasetEventPublisher.PublishAsync(DatasetEvent datasetEvent) => Task.CompletedTask;

    public void Dispose() => _host.Dispose();
}
