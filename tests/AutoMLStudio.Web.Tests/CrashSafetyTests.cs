using System.Net;
using AutoMLStudio.Core;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Searches;
using AutoMLStudio.Core.Storage;
using AutoMLStudio.Engine.Training;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AutoMLStudio.Web.Tests;

/// <summary>Run state lives in the database: a restart resumes it, a duplicate job delivery does nothing.</summary>
[Collection(StudioCollection.Name)]
public sealed class CrashSafetyTests(StudioApp shared)
{
    [Fact]
    public async Task Search_interrupted_by_a_restart_resumes_its_trial_from_the_checkpoint_and_finishes()
    {
        var dataDir = Directory.CreateTempSubdirectory("amls-restart-").FullName;
        var first = StudioApp.On(dataDir);
        try
        {
            var api = first.Api();
            var dataset = await api.ImportAsync(TestImages.ClassFolderZip(perClass: 60), "restart");
            // Tiny images train an epoch in tens of milliseconds: 120 epochs keep a trial running for seconds, so the
            // restart lands mid-trial even when the stop is slow on a loaded machine.
            var search = await api.PostJsonAsync("/api/v1/searches", new
            {
                datasetId = dataset.GetProperty("id").GetString(),
                budget = new { maxTrials = 2, maxMinutes = 20, maxEpochsPerTrial = 120 },
                seed = 5,
            }, HttpStatusCode.Created);
            var searchId = Guid.Parse(search.GetProperty("id").GetString()!);
            await api.WaitForAsync($"/api/v1/searches/{searchId}/trials",
                trials => trials.EnumerateArray().Any(t => t.GetProperty("epochs").GetArrayLength() >= 2), TimeSpan.FromSeconds(60));

            // The process dies holding the lease: nothing released it, and it would not expire for minutes.
            await first.DisposeAsync();
            await using (var db = OpenDatabase(dataDir))
            {
                await db.Trials.Where(t => t.SearchId == searchId && t.Status == TrialStatus.Running).ExecuteUpdateAsync(s => s
                    .SetProperty(t => t.LeaseOwner, Environment.MachineName + "/12345/dead")
                    .SetProperty(t => t.LeaseExpiresAt, DateTimeOffset.UtcNow.AddHours(1)));
            }
            var interrupted = await SnapshotAsync(dataDir, searchId);
            Assert.Contains(interrupted, t => t.Status is TrialStatus.Running or TrialStatus.Queued);

            await using var second = StudioApp.On(dataDir);
            var done = await second.Api().WaitForSearchEndAsync(searchId.ToString(), seconds: 240);
            Assert.Equal("completed", done.GetProperty("status").GetString());

            var after = await SnapshotAsync(dataDir, searchId);
            Assert.Equal(2, after.Count);
            Assert.All(after, t =>
            {
                Assert.Equal(TrialStatus.Completed, t.Status);
                Assert.Equal(Enumerable.Range(1, 120), t.Epochs.Select(e => e.Epoch).Order());
            });
            var resumed = after.Single(t => t.Id == interrupted.First(i => i.Status == TrialStatus.Running).Id);
            Assert.Equal(2, resumed.Attempts);
            // Epochs written before the restart are the same rows: the trial continued, it did not start over.
            var before = interrupted.Single(t => t.Id == resumed.Id).Epochs;
            Assert.All(before, e => Assert.Contains(resumed.Epochs, r => r.Id == e.Id && r.ValLoss == e.ValLoss));
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task A_second_delivery_of_the_same_trial_job_trains_nothing()
    {
        var api = shared.Api();
        var searchId = await FinishedOneTrialSearchAsync(api, "lease", epochs: 3);

        var extraId = await AddSecondTrialAsync(searchId, config => config);

        async Task DeliverAsync()
        {
            await using var scope = shared.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<TrialJob>().RunAsync(extraId, CancellationToken.None);
        }
        await Task.WhenAll(DeliverAsync(), DeliverAsync());

        await using (var scope = shared.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<StudioDbContext>();
            var trial = await db.Trials.Include(t => t.Epochs).SingleAsync(t => t.Id == extraId);
            Assert.Equal(TrialStatus.Completed, trial.Status);
            Assert.Equal(1, trial.Attempts);
            Assert.Equal([1, 2, 3], trial.Epochs.Select(e => e.Epoch).Order());
            Assert.Null(trial.LeaseOwner);
        }
        await api.WaitForSearchEndAsync(searchId.ToString());
    }

    [Fact]
    public async Task A_trial_whose_loss_overflows_ends_as_pruned_with_the_reason_and_stores_no_nan()
    {
        var api = shared.Api();
        var searchId = await FinishedOneTrialSearchAsync(api, "diverging", epochs: 2);

        // A rate no search proposes: the first steps blow the weights up and the loss stops being a number.
        var divergingId = await AddSecondTrialAsync(searchId,
            config => config with { Training = config.Training with { Optimizer = "sgd", LearningRate = 1e12, WeightDecay = 0, Epochs = 2 } });

        await using (var scope = shared.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<TrialJob>().RunAsync(divergingId, CancellationToken.None);

        await using (var scope = shared.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<StudioDbContext>();
            var trial = await db.Trials.Include(t => t.Epochs).SingleAsync(t => t.Id == divergingId);
            Assert.Equal(TrialStatus.Pruned, trial.Status);
            Assert.StartsWith("Training diverged at epoch ", trial.Error);
            Assert.Contains("the learning rate is too high", trial.Error);
            Assert.All(trial.Epochs, e => Assert.True(double.IsFinite(e.TrainLoss) && double.IsFinite(e.ValLoss)));
            Assert.Null(trial.LeaseOwner);
        }
        Assert.Equal("completed", (await api.WaitForSearchEndAsync(searchId.ToString())).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_failing_trial_is_recorded_with_its_reason_and_the_search_still_completes()
    {
        var api = shared.Api();
        var searchId = await FinishedOneTrialSearchAsync(api, "failing trial", epochs: 2);

        await using (var scope = shared.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<StudioDbContext>();
            var template = await db.Trials.SingleAsync(t => t.SearchId == searchId);
            // A configuration the network cannot be built from (a stage with no channels) makes training throw.
            var broken = template.ConfigJson.Replace("\"width\":", "\"width\":0,\"_was\":");
            Assert.NotEqual(template.ConfigJson, broken);
            var bad = new Trial { SearchId = searchId, Number = 2, ConfigJson = broken };
            db.Trials.Add(bad);
            await db.SaveChangesAsync();
            await db.Searches.Where(s => s.Id == searchId).ExecuteUpdateAsync(s => s
                .SetProperty(x => x.Status, SearchStatus.Running).SetProperty(x => x.MaxTrials, 2));
            scope.ServiceProvider.GetRequiredService<IBackgroundJobs>().EnqueueTrial(bad.Id, "cpu");
        }

        var done = await api.WaitForAsync($"/api/v1/searches/{searchId}",
            s => s.GetProperty("status").GetString() == "completed" && s.GetProperty("trialsTotal").GetInt32() == 2, TimeSpan.FromSeconds(60));
        var trials = await api.GetJsonAsync($"/api/v1/searches/{searchId}/trials");
        var failed = trials.EnumerateArray().Single(t => t.GetProperty("number").GetInt32() == 2);
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.StartsWith("Training failed", failed.GetProperty("error").GetString());
        Assert.Equal(trials.EnumerateArray().Single(t => t.GetProperty("number").GetInt32() == 1).GetProperty("id").GetString(),
            done.GetProperty("bestTrialId").GetString());
    }

    [Fact]
    public async Task A_trial_whose_checkpoint_cannot_be_read_is_resumed_twice_then_recorded_as_failed()
    {
        var api = shared.Api();
        var searchId = await FinishedOneTrialSearchAsync(api, "unreadable checkpoint", epochs: 2);

        Guid badId;
        await using (var scope = shared.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<StudioDbContext>();
            var store = scope.ServiceProvider.GetRequiredService<IArtifactStore>();
            var template = await db.Trials.SingleAsync(t => t.SearchId == searchId);
            var bad = new Trial { SearchId = searchId, Number = 2, ConfigJson = template.ConfigJson };
            db.Trials.Add(bad);
            await db.SaveChangesAsync();
            badId = bad.Id;
            // The finished trial's checkpoint with its last weights cut short: every resume fails reading them (an I/O error).
            var source = store.FullPath(template.Checkpoints());
            var target = store.FullPath(bad.Checkpoints());
            Directory.CreateDirectory(target);
            foreach (var file in Directory.GetFiles(source)) File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
            var weights = Path.Combine(target, ImageClassifierTrainer.EpochWeightsFile(2));
            File.WriteAllBytes(weights, File.ReadAllBytes(weights)[..16]);
            await db.Searches.Where(s => s.Id == searchId).ExecuteUpdateAsync(s => s
                .SetProperty(x => x.Status, SearchStatus.Running).SetProperty(x => x.MaxTrials, 2));
            scope.ServiceProvider.GetRequiredService<IBackgroundJobs>().EnqueueTrial(bad.Id, "cpu");
        }

        await api.WaitForAsync($"/api/v1/searches/{searchId}",
            s => s.GetProperty("status").GetString() == "completed" && s.GetProperty("trialsTotal").GetInt32() == 2, TimeSpan.FromSeconds(60));
        await using (var scope = shared.Services.CreateAsyncScope())
        {
            var trial = await scope.ServiceProvider.GetRequiredService<StudioDbContext>().Trials.AsNoTracking().SingleAsync(t => t.Id == badId);
            var retries = scope.ServiceProvider.GetRequiredService<IOptions<StudioOptions>>().Value.Training.TransientFailureRetries;
            Assert.Equal(TrialStatus.Failed, trial.Status);
            Assert.Equal(retries + 1, trial.Attempts);
            Assert.StartsWith("Training failed", trial.Error);
            Assert.Null(trial.LeaseOwner);
        }
    }

    [Fact]
    public void Native_and_io_failures_are_worth_a_resume_and_configuration_errors_are_not()
    {
        Assert.True(TrialJob.IsTransient(new System.Runtime.InteropServices.ExternalException("Expected false to be true")));
        Assert.True(TrialJob.IsTransient(new EndOfStreamException()));
        Assert.False(TrialJob.IsTransient(new ArgumentException("width must be positive")));
        Assert.False(TrialJob.IsTransient(new InvalidOperationException()));
        // A database outage as EF Core reports it: the database's exception inside an InvalidOperationException.
        Assert.True(TrialJob.IsTransient(new InvalidOperationException("An exception has been raised that is likely due to a transient failure.",
            new Microsoft.Data.Sqlite.SqliteException("database is locked", 5))));
        Assert.False(TrialJob.IsTransient(new InvalidOperationException("outer", new ArgumentException("inner"))));
    }

    [Fact]
    public async Task A_running_trial_and_a_search_step_whose_jobs_were_lost_are_queued_again_by_the_stall_sweep()
    {
        var api = shared.Api();
        var searchId = await FinishedOneTrialSearchAsync(api, "stalled work", epochs: 2);
        var trialId = await AddSecondTrialAsync(searchId, c => c);
        var longAgo = DateTimeOffset.UtcNow.AddHours(-1);
        await using (var scope = shared.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<StudioDbContext>();
            var stalled = scope.ServiceProvider.GetRequiredService<StalledWork>();
            // Trial 2 was running on a node whose job the queue lost (a database outage failed it and its retries):
            // its lease ran out an hour ago and no job will ever deliver it.
            await db.Trials.Where(t => t.Id == trialId).ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, TrialStatus.Running)
                .SetProperty(t => t.LeaseOwner, "gone-node/1/run").SetProperty(t => t.LeaseExpiresAt, longAgo).SetProperty(t => t.StartedAt, longAgo));
            await db.Searches.Where(s => s.Id == searchId).ExecuteUpdateAsync(s => s
                .SetProperty(x => x.FinalRetrain, (FinalRetrainState?)null).SetProperty(x => x.CompletedAt, (DateTimeOffset?)null));

            Assert.Equal((1, 0), await stalled.RecoverAsync(CancellationToken.None));
            // Claimed by that sweep: the next one leaves it to the job it queued.
            Assert.Equal((0, 0), await stalled.RecoverAsync(CancellationToken.None));
        }
        var trials = (await api.WaitForAsync($"/api/v1/searches/{searchId}/trials",
            t => t.EnumerateArray().All(x => x.GetProperty("status").GetString() == "completed"), TimeSpan.FromSeconds(120))).EnumerateArray().ToList();
        Assert.Equal(["completed", "completed"], trials.Select(t => t.GetProperty("status").GetString()));
        Assert.Equal([1, 2], trials[1].GetProperty("epochs").EnumerateArray().Select(e => e.GetProperty("epoch").GetInt32()));

        // Now the search itself: running, every trial ended an hour ago, and the step that would end it never came.
        await using (var scope = shared.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<StudioDbContext>();
            await db.Trials.Where(t => t.SearchId == searchId).ExecuteUpdateAsync(s => s.SetProperty(t => t.CompletedAt, longAgo));
            await db.Searches.Where(s => s.Id == searchId).ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, SearchStatus.Running)
                .SetProperty(x => x.StartedAt, longAgo).SetProperty(x => x.FinalRetrain, (FinalRetrainState?)null).SetProperty(x => x.CompletedAt, (DateTimeOffset?)null));
            Assert.Equal((0, 1), await scope.ServiceProvider.GetRequiredService<StalledWork>().RecoverAsync(CancellationToken.None));
        }
        Assert.Equal("completed", (await api.WaitForAsync($"/api/v1/searches/{searchId}", s => s.GetProperty("status").GetString() == "completed",
            TimeSpan.FromSeconds(120))).GetProperty("status").GetString());
    }

    /// <summary>Adds trial 2 to a finished one-trial search, configured as trial 1 changed by <paramref name="change"/>, and sets the search running again.</summary>
    private async Task<Guid> AddSecondTrialAsync(Guid searchId, Func<Engine.Spaces.TrialConfig, Engine.Spaces.TrialConfig> change)
    {
        await using var scope = shared.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StudioDbContext>();
        var template = await db.Trials.SingleAsync(t => t.SearchId == searchId);
        var trial = new Trial
        {
            SearchId = searchId, Number = 2, Params = template.Params,
            ConfigJson = System.Text.Json.JsonSerializer.Serialize(change(template.Config()), Engine.Spaces.EngineJson.Options),
        };
        db.Trials.Add(trial);
        await db.SaveChangesAsync();
        await db.Searches.Where(s => s.Id == searchId).ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, SearchStatus.Running));
        return trial.Id;
    }

    private static async Task<Guid> FinishedOneTrialSearchAsync(HttpClient api, string name, int epochs)
    {
        var dataset = await api.ImportAsync(TestImages.ClassFolderZip(perClass: 10), name);
        var search = await api.PostJsonAsync("/api/v1/searches", new
        {
            datasetId = dataset.GetProperty("id").GetString(),
            budget = new { maxTrials = 1, maxMinutes = 10, maxEpochsPerTrial = epochs },
        }, HttpStatusCode.Created);
        var searchId = Guid.Parse(search.GetProperty("id").GetString()!);
        await api.WaitForSearchEndAsync(searchId.ToString());
        return searchId;
    }

    private static StudioDbContext OpenDatabase(string dataDir) =>
        new(new DbContextOptionsBuilder<StudioDbContext>()
            .UseSqlite($"Data Source={new StudioOptions { DataDir = dataDir }.DatabasePath}").Options);

    private static async Task<List<Trial>> SnapshotAsync(string dataDir, Guid searchId)
    {
        await using var db = OpenDatabase(dataDir);
        return await db.Trials.AsNoTracking().Include(t => t.Epochs).Where(t => t.SearchId == searchId).OrderBy(t => t.Number).ToListAsync();
    }
}
