using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace AutoMLStudio.E2E;

/// <summary>
/// Issue 4, reliability: the real server is killed with SIGKILL in the middle of a trial and started again on the same
/// data folder. Its own server (not the shared fixture's), because this one dies.
/// </summary>
public sealed partial class KillAndResumeTests(ITestOutputHelper output)
{
    private const int MaxEpochs = 12;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Search_killed_with_SIGKILL_mid_trial_resumes_from_its_checkpoint_after_restart_and_loses_nothing()
    {
        var watch = Stopwatch.StartNew();
        var work = Directory.CreateTempSubdirectory("amls-e2e-kill").FullName;
        var first = await StudioServer.StartAsync(StartTimeout);
        StudioServer? second = null;
        FileSystemWatcher? checkpointWatcher = null;
        try
        {
            Guid searchId;
            List<ApiTrial> beforeKill;
            using (var api = new StudioApi(first))
            {
                var zip = TestZip.Create(work, perClass: 150, size: 32);
                var datasetId = await api.UploadReadyAsync(zip, "Kill and resume");
                searchId = await api.StartSearchAsync(datasetId, "random", maxTrials: 2, maxEpochsPerTrial: MaxEpochs, maxMinutes: 60, seed: 4242);

                // Mid-trial: trial 1 has recorded at least two epochs and has more to go.
                beforeKill = await PollAsync(api, searchId, TimeSpan.FromMinutes(3), "trial 1 to record 2 epochs",
                    trials => trials.FirstOrDefault(t => t.Number == 1) is { Epochs.Count: >= 2 and < MaxEpochs, Status: "running" });
            }
            var trial1 = beforeKill.Single(t => t.Number == 1);
            var folder = Path.Combine(first.DataDir, "artifacts", "searches", searchId.ToString("N"), "trials", trial1.Id.ToString("N"));

            output.WriteLine($"{watch.Elapsed.TotalSeconds:F1}s: SIGKILL to pid {first.ProcessId} with trial 1 at epoch {trial1.Epochs.Count}");
            await first.KillAsync();
            // The killed process was the one serving (no wrapper left answering on the port).
            using (var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(5) })
                await Assert.ThrowsAsync<HttpRequestException>(() => probe.GetAsync($"{first.BaseUrl}/health"));
            // The trial saw no shutdown, so the rows still say it runs; its checkpoint is what the restart must resume.
            var (checkpointed, checkpointedEpochs) = ReadCheckpoint(folder);
            output.WriteLine($"Checkpoint at the kill: epoch {checkpointed}; the database had {trial1.Epochs.Count} epochs of trial 1");
            Assert.InRange(checkpointed, trial1.Epochs.Count, trial1.Epochs.Count + 1);

            // Every epoch file the restarted server writes into trial 1's folder: resuming writes epoch N+1 first,
            // training from scratch would write epoch 1 first.
            var written = new ConcurrentQueue<int>();
            checkpointWatcher = new FileSystemWatcher(folder) { IncludeSubdirectories = false, EnableRaisingEvents = true };
            void Seen(string? name)
            {
                if (name is not null && EpochWeights().Match(name) is { Success: true } m) written.Enqueue(int.Parse(m.Groups[1].Value));
            }
            checkpointWatcher.Created += (_, e) => Seen(e.Name);
            checkpointWatcher.Renamed += (_, e) => Seen(e.Name);

            second = await first.RestartAsync(StartTimeout);
            output.WriteLine($"{watch.Elapsed.TotalSeconds:F1}s: restarted as pid {second.ProcessId} on {second.BaseUrl}");
            using (var api = new StudioApi(second))
            {
                await PollAsync(api, searchId, TimeSpan.FromMinutes(4), "the search to complete", _ => true,
                    search => search.Status is "completed" or "failed" or "cancelled");
                var search = await api.SearchAsync(searchId);
                var trials = await api.TrialsAsync(searchId);
                output.WriteLine($"{watch.Elapsed.TotalSeconds:F1}s: search {search.Status}; " +
                                 string.Join("; ", trials.Select(t => $"trial {t.Number} {t.Status} epochs {string.Join(",", t.Epochs.Select(e => e.Epoch))}")));

                Assert.Equal("completed", search.Status);
                Assert.Equal(2, search.TrialsTotal);
                Assert.Equal([1, 2], trials.Select(t => t.Number));
                Assert.Equal(2, trials.Select(t => t.Id).Distinct().Count());
                Assert.All(trials, t => Assert.Equal("completed", t.Status));
                Assert.All(trials, t => Assert.Equal(Enumerable.Range(1, MaxEpochs), t.Epochs.Select(e => e.Epoch)));

                // What was recorded before the kill is kept as it was: the trial was resumed, not rerun over it.
                var after = trials.Single(t => t.Number == 1);
                Assert.Equal(trial1.Id, after.Id);
                foreach (var before in trial1.Epochs)
                {
                    var now = after.Epochs.Single(e => e.Epoch == before.Epoch);
                    Assert.Equal(before, now);
                }
                // An epoch checkpointed but not yet recorded when the process died is recorded from the checkpoint.
                foreach (var fromCheckpoint in checkpointedEpochs)
                {
                    var now = after.Epochs.Single(e => e.Epoch == fromCheckpoint.Epoch);
                    Assert.Equal(fromCheckpoint.TrainLoss, now.TrainLoss);
                    Assert.Equal(fromCheckpoint.ValLoss, now.ValLoss);
                }

                // The restarted process continued from the checkpoint: the first epoch it wrote is the one after it.
                var epochsWritten = written.Distinct().ToList();
                output.WriteLine($"Epoch checkpoints written after the restart: {string.Join(",", epochsWritten)}");
                Assert.NotEmpty(epochsWritten);
                Assert.Equal(checkpointed + 1, epochsWritten.Min());
                Assert.Equal(Enumerable.Range(checkpointed + 1, MaxEpochs - checkpointed), epochsWritten.Order());

                // The restart released the dead process's lease and queued the trial again; nothing waited for a lease to expire.
                Assert.Matches(@"Reconciled: \d+ imports, 1 searches, 1 trials re-queued; 1 stale leases released", second.Log);
                Assert.DoesNotContain("already leased", second.Log);
            }
            output.WriteLine($"Wall time {watch.Elapsed.TotalSeconds:F1}s");
        }
        catch
        {
            output.WriteLine("---- server log before the kill ----\n" + first.Log);
            if (second is not null) output.WriteLine("---- server log after the restart ----\n" + second.Log);
            throw;
        }
        finally
        {
            checkpointWatcher?.Dispose();
            if (second is not null) await second.DisposeAsync();
            else await first.DisposeAsync();
            Directory.Delete(work, recursive: true);
        }
    }

    [GeneratedRegex(@"^epoch-(\d+)\.weights")]
    private static partial Regex EpochWeights();

    /// <summary>The trainer's commit record: the epoch it would resume after, and the epochs it replays.</summary>
    private static (int Epoch, List<ApiEpoch> Epochs) ReadCheckpoint(string folder)
    {
        var path = Path.Combine(folder, "state.json");
        Assert.True(File.Exists(path), $"trial 1 has no checkpoint at {path}");
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        var root = json.RootElement;
        JsonElement Get(JsonElement e, string name) =>
            e.EnumerateObject().First(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)).Value;
        var epochs = Get(root, "epochs").EnumerateArray().Select(e => new ApiEpoch(Get(e, "epoch").GetInt32(), Get(e, "trainLoss").GetDouble(),
            Get(e, "valLoss").GetDouble(), Get(e, "valAccuracy").GetDouble(), Get(e, "seconds").GetDouble())).ToList();
        return (Get(root, "epoch").GetInt32(), epochs);
    }

    private async Task<List<ApiTrial>> PollAsync(StudioApi api, Guid searchId, TimeSpan timeout, string what,
        Func<List<ApiTrial>, bool> trialsDone, Func<ApiSearch, bool>? searchDone = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            var search = await api.SearchAsync(searchId);
            var trials = await api.TrialsAsync(searchId);
            var now = $"search {search.Status}; " + string.Join("; ", trials.Select(t => $"trial {t.Number} {t.Status} {t.Epochs.Count} epochs"));
            if (now != last) output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.f} {now}");
            last = now;
            if (search.Status is "failed" or "cancelled" && searchDone is null)
                throw new InvalidOperationException($"The search ended ({search.Status}: {search.Error}) while waiting for {what}");
            if (trialsDone(trials) && (searchDone is null || searchDone(search))) return trials;
            await Task.Delay(150);
        }
        throw new TimeoutException($"Timed out after {timeout} waiting for {what}; last seen: {last}");
    }
}
