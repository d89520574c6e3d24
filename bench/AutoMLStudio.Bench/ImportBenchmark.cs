using System.Diagnostics;
using AutoMLStudio.Core;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Datasets;
using AutoMLStudio.Core.Searches;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AutoMLStudio.Bench;

/// <summary>
/// Imports a zip through the product's own upload and import job (no web server, no queue: the job is run directly)
/// and prints images per second, peak memory and the time until the first page of the grid can be read.
/// </summary>
public static class ImportBenchmark
{
    public static async Task RunAsync(BenchOptions options)
    {
        var work = Directory.CreateTempSubdirectory("amls-bench-import-").FullName;
        try
        {
            Console.WriteLine($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}");
            if (options.Generated > 0)
            {
                var generated = Path.Combine(work, "generated.zip");
                BenchSources.WriteGenerated(generated, options.Generated);
                await MeasureAsync($"generated {options.Generated:N0} PNGs (32x32)", generated, work);
            }

            if (options.FashionMnist is null)
            {
                Console.WriteLine("fashion-mnist: skipped (install Debian's dataset-fashion-mnist, or pass --fashion-mnist DIR)");
                return;
            }
            var fashion = Path.Combine(work, "fashion.zip");
            var count = BenchSources.WriteFashionMnist(fashion, options.FashionMnist);
            await MeasureAsync($"Fashion-MNIST {count:N0} PNGs (28x28)", fashion, work);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task MeasureAsync(string title, string zipPath, string work)
    {
        using var host = BuildHost(Path.Combine(work, "data-" + Guid.NewGuid().ToString("N")[..8]));
        await using (var scope = host.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<StudioDbContext>().InitializeDatabaseAsync();

        using var sampler = new PeakMemorySampler();
        var clock = Stopwatch.StartNew();
        Guid datasetId;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            await using var file = File.OpenRead(zipPath);
            var dataset = await scope.ServiceProvider.GetRequiredService<UploadDataset>()
                .HandleAsync(new UploadDatasetRequest("bench", [new UploadedFile(Path.GetFileName(zipPath), file)], null), CancellationToken.None);
            datasetId = dataset.Id;
        }
        var uploaded = clock.Elapsed;
        await using (var scope = host.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<DatasetImportJob>().RunAsync(datasetId, CancellationToken.None);
        var imported = clock.Elapsed;

        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<StudioDbContext>();
            var dataset = await db.Datasets.AsNoTracking().SingleAsync(d => d.Id == datasetId);
            var firstPage = await db.DatasetItems.AsNoTracking().Where(i => i.DatasetId == datasetId)
                .OrderBy(i => i.OriginalName).ThenBy(i => i.Id).Take(100).ToListAsync();
            var browsable = clock.Elapsed;
            if (dataset.Status != DatasetStatus.Ready) throw new InvalidOperationException($"import ended {dataset.Status}: {dataset.Error}");

            Console.WriteLine($"{title}: {dataset.ItemCount:N0} imported, {new FileInfo(zipPath).Length / 1048576.0:0.0} MB zip");
            Console.WriteLine($"  upload + check      {uploaded.TotalSeconds,8:0.00} s");
            Console.WriteLine($"  import job          {(imported - uploaded).TotalSeconds,8:0.00} s   {dataset.ItemCount / (imported - uploaded).TotalSeconds,8:N0} images/s");
            Console.WriteLine($"  grid browsable after{browsable.TotalSeconds,8:0.00} s   (first page: {firstPage.Count} items)");
            Console.WriteLine($"  peak working set    {sampler.PeakBytes / 1048576.0,8:0} MB   (managed heap peak {sampler.PeakManagedBytes / 1048576.0:0} MB)");
        }
    }

    private static IHost BuildHost(string dataDir)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["Studio:DataDir"] = dataDir;
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddStudioCore();
        builder.Services.AddSingleton<IBackgroundJobs, NoQueue>();
        builder.Services.AddSingleton<ISearchEventPublisher, NoEvents>();
        builder.Services.AddSingleton<IDatasetEventPublisher, NoEvents>();
        return builder.Build();
    }

    // The benchmark runs each job itself, so nothing is queued or pushed.
    private sealed class NoQueue : IBackgroundJobs
    {
        public string EnqueueDatasetImport(Guid datasetId) => "bench";
        public string EnqueueSearchStep(Guid searchId) => "bench";
        public string EnqueueTrial(Guid trialId, string queue) => "bench";
        public string EnqueueQuality(Guid datasetId) => "bench";
    }

    private sealed class NoEvents : ISearchEventPublisher, IDatasetEventPublisher
    {
        public Task PublishAsync(SearchEvent searchEvent) => Task.CompletedTask;
        public Task PublishAsync(DatasetEvent datasetEvent) => Task.CompletedTask;
    }
}
