using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Searches;
using Microsoft.EntityFrameworkCore;

namespace AutoMLStudio.Bench;

/// <summary>
/// Resident memory over a long search: a random search of 30 one-epoch trials runs through the product's Core path
/// (upload, import, search step, trial jobs on SQLite and the artifact store), one trial at a time, and the process's
/// resident memory is read after each trial. Growth after the first trials would mean tensors, modules or caches
/// that outlive their trial.
/// </summary>
public static class MemoryBenchmark
{
    public static async Task RunAsync(BenchOptions options)
    {
        var trials = options.Int("--trials", 30);
        var limit = options.Int("--limit", 1_000);
        var work = Directory.CreateTempSubdirectory("amls-bench-memory-").FullName;
        try
        {
            var zip = Path.Combine(work, "images.zip");
            string name;
            if (options.FashionMnist is { } folder)
            {
                BenchSources.WriteFashionMnist(zip, folder, limit);
                name = $"Fashion-MNIST, first {limit:N0} images";
            }
            else
            {
                BenchSources.WriteGenerated(zip, limit);
                name = $"{limit:N0} generated 32x32 images";
            }
            // One slot: each reading is taken between trials, with no other trial's tensors alive.
            using var studio = await InProcessStudio.StartAsync(Path.Combine(work, "data"),
                new Dictionary<string, string> { ["Studio:Training:CpuSlots"] = "1" });
            var datasetId = await studio.UploadAsync(zip);
            await studio.RunQueuedAsync();

            var search = await studio.UseAsync<StartSearch, Search>(start => start.HandleAsync(
                new StartSearchRequest(datasetId, null, null, new BudgetRequest(trials, 600, 1), "random", Seed: 7), null, CancellationToken.None));
            Console.WriteLine($"machine: {Environment.ProcessorCount} cores; data: {name}; random search, {trials} trials of 1 epoch, one at a time");

            var resident = new List<long>();
            await studio.RunQueuedAsync(async (kind, id) =>
            {
                if (kind != "trial") return;
                resident.Add(PeakMemorySampler.ResidentBytes());
                var trial = await studio.UseAsync<StudioDbContext, Trial>(db => db.Trials.AsNoTracking().SingleAsync(t => t.Id == id));
                Console.WriteLine($"  trial {trial.Number,2} {trial.Status,-9} {trial.Params,9:N0} params   RSS {resident[^1] / 1048576.0,7:0.0} MB   " +
                                  $"managed heap {GC.GetTotalMemory(false) / 1048576.0,6:0.0} MB");
            });

            var ended = await studio.UseAsync<StudioDbContext, Search>(db => db.Searches.AsNoTracking().SingleAsync(s => s.Id == search.Id));
            Console.WriteLine($"search {ended.Status.ToString().ToLowerInvariant()} after {resident.Count} trials");
            if (resident.Count < 2) return;
            Console.WriteLine($"RSS at trial 2   {resident[1] / 1048576.0,7:0.0} MB");
            Console.WriteLine($"RSS at trial {resident.Count,-3} {resident[^1] / 1048576.0,7:0.0} MB");
            Console.WriteLine($"ratio            {(double)resident[^1] / resident[1],7:0.000}   (target <= 1.1)");
            Console.WriteLine($"highest after 2  {resident.Skip(1).Max() / 1048576.0,7:0.0} MB");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
