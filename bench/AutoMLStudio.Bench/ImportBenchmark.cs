using System.Diagnostics;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Datasets;
using Microsoft.EntityFrameworkCore;

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
        using var studio = await InProcessStudio.StartAsync(Path.Combine(work, "data-" + Guid.NewGuid().ToString("N")[..8]));
        using var sampler = new PeakMemorySampler();
        var clock = Stopwatch.StartNew();
        var datasetId = await studio.UploadAsync(zipPath);
        var uploaded = clock.Elapsed;
        await studio.UseAsync<DatasetImportJob>(job => job.RunAsync(datasetId, CancellationToken.None));
        var imported = clock.Elapsed;

        await studio.UseAsync<StudioDbContext>(async db =>
        {
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
        });
    }
}
