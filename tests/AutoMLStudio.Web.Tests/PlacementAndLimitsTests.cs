using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Identity;
using AutoMLStudio.Core.Searches;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AutoMLStudio.Web.Tests;

/// <summary>
/// Where trials run and who may run how many, through the API with real searches: each trial is placed on a device
/// queue with its estimated memory, the devices API shows what runs where, an admin cancels a single trial, a person's
/// limit of concurrent trials holds, and a higher-priority search's waiting trials hold lower ones back.
/// </summary>
[Collection(StudioCollection.Name)]
public sealed class PlacementAndLimitsTests(StudioApp app)
{
    private const int Epochs = 80;

    [Fact]
    public async Task Devices_show_the_node_its_slots_and_the_running_trial_which_an_admin_cancels_while_the_search_goes_on()
    {
        var api = app.Api();
        // Seeded, so the networks are fixed: unseeded, a draw of pooling layers only trained its 80 epochs in half a
        // second, too fast to be seen running.
        var searchId = await StartSearchAsync(api, "cancel one trial", maxTrials: 3, epochs: Epochs, seed: 7);
        var trialId = await api.WaitForTrainingTrialAsync(searchId);

        var cpu = (await api.GetJsonAsync("/api/v1/devices")).EnumerateArray().Single(d => d.GetProperty("id").GetString() == "cpu");
        Assert.Equal(Environment.MachineName, cpu.GetProperty("node").GetString());
        Assert.Equal(Environment.ProcessorCount, cpu.GetProperty("slots").GetInt32());
        Assert.True(cpu.GetProperty("memoryBytes").GetInt64() > 0);
        var running = cpu.GetProperty("running").EnumerateArray().Single(t => t.GetProperty("trialId").GetString() == trialId);
        Assert.Equal(searchId, running.GetProperty("searchId").GetString());
        Assert.Equal("normal", running.GetProperty("priority").GetString());
        Assert.Equal(cpu.GetProperty("running").GetArrayLength(), cpu.GetProperty("busy").GetInt32());
        var trial = (await api.GetJsonAsync($"/api/v1/searches/{searchId}/trials")).EnumerateArray().Single(t => t.GetProperty("id").GetString() == trialId);
        Assert.Equal("cpu", trial.GetProperty("queue").GetString());
        Assert.True(trial.GetProperty("memoryBytes").GetInt64() > 256L << 20);

        var (expertKey, _) = await app.CreateUserAsync(StudioRoles.Expert);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.Api(expertKey).PostAsync($"/api/v1/searches/{searchId}/trials/{trialId}/cancel", null)).StatusCode);
        (await (await api.PostAsync($"/api/v1/searches/{searchId}/trials/{Guid.NewGuid()}/cancel", null)).JsonAsync(HttpStatusCode.NotFound)).AssertProblem(404, "Trial not found");

        var cancelled = await api.PostJsonAsync($"/api/v1/searches/{searchId}/trials/{trialId}/cancel", new { }, HttpStatusCode.OK);
        Assert.Equal("failed", cancelled.GetProperty("status").GetString());
        Assert.Equal("Cancelled by an admin.", cancelled.GetProperty("error").GetString());
        (await (await api.PostAsync($"/api/v1/searches/{searchId}/trials/{trialId}/cancel", null)).JsonAsync(HttpStatusCode.Conflict)).AssertProblem(409, "Trial already ended");
        var audit = (await api.GetJsonAsync("/api/v1/admin/audit?take=1")).EnumerateArray().Single();
        Assert.Equal("trial.cancelled", audit.GetProperty("action").GetString());
        Assert.Equal(trialId, audit.GetProperty("targetId").GetString());

        var done = await api.WaitForSearchEndAsync(searchId);
        Assert.Equal("completed", done.GetProperty("status").GetString());
        var trials = (await api.GetJsonAsync($"/api/v1/searches/{searchId}/trials")).EnumerateArray().ToList();
        var stopped = trials.Single(t => t.GetProperty("id").GetString() == trialId);
        // The cancel is the trial's outcome: the training that was stopped did not overwrite it.
        Assert.Equal("failed", stopped.GetProperty("status").GetString());
        Assert.Equal(3, trials.Count);
        Assert.Equal(2, trials.Count(t => t.GetProperty("status").GetString() is "completed" or "pruned"));
    }

    [Fact]
    public async Task A_person_limited_to_one_trial_runs_their_trials_one_after_another()
    {
        var api = app.Api();
        var (expertKey, expertId) = await app.CreateUserAsync(StudioRoles.Expert);
        var expert = app.Api(expertKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await expert.PutAsJsonAsync($"/api/v1/users/{expertId}/limits", new { maxConcurrentTrials = 5 })).StatusCode);
        (await (await api.PutAsJsonAsync($"/api/v1/users/{expertId}/limits", new { maxConcurrentTrials = -1 })).JsonAsync(HttpStatusCode.BadRequest))
            .AssertProblem(400, "Invalid limit");
        (await (await api.PutAsJsonAsync("/api/v1/users/nobody/limits", new { maxConcurrentTrials = 1 })).JsonAsync(HttpStatusCode.NotFound))
            .AssertProblem(404, "User not found");

        var limited = await (await api.PutAsJsonAsync($"/api/v1/users/{expertId}/limits", new { maxConcurrentTrials = 1 })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, limited.GetProperty("maxConcurrentTrials").GetInt32());
        var listed = (await api.GetJsonAsync("/api/v1/users")).EnumerateArray().Single(u => u.GetProperty("id").GetString() == expertId);
        Assert.Equal(1, listed.GetProperty("maxConcurrentTrials").GetInt32());
        Assert.Equal("Expert", listed.GetProperty("role").GetString());
        Assert.Equal("user.limit", (await api.GetJsonAsync("/api/v1/admin/audit?take=1")).EnumerateArray().Single().GetProperty("action").GetString());

        // Two slots on the CPU would run two of the search's trials side by side; the limit keeps them one at a time.
        var searchId = await StartSearchAsync(expert, "limited person", maxTrials: 3, epochs: 3);
        Assert.Equal("completed", (await expert.WaitForSearchEndAsync(searchId)).GetProperty("status").GetString());
        var spans = (await api.GetJsonAsync($"/api/v1/searches/{searchId}/trials")).EnumerateArray()
            .Select(t => (Start: t.GetProperty("startedAt").GetDateTimeOffset(), End: t.GetProperty("completedAt").GetDateTimeOffset()))
            .OrderBy(s => s.Start).ToList();
        Assert.Equal(3, spans.Count);
        for (var i = 1; i < spans.Count; i++) Assert.True(spans[i].Start >= spans[i - 1].End, $"trial {i + 1} started before trial {i} ended");
    }

    [Fact]
    public async Task A_higher_priority_search_holds_back_lower_ones_unless_its_owner_is_at_their_limit()
    {
        var api = app.Api();
        var (expertKey, expertId) = await app.CreateUserAsync(StudioRoles.Expert);
        var expert = app.Api(expertKey);
        string low, high;
        // Paused, nothing starts: the trials of both searches wait on the CPU queue where the gate can be asked about them.
        await api.PostJsonAsync("/api/v1/admin/pause", new { }, HttpStatusCode.OK);
        try
        {
            low = await StartSearchAsync(api, "low priority", maxTrials: 2, epochs: 1);
            high = await StartSearchAsync(expert, "high priority", maxTrials: 2, epochs: 1);
            foreach (var id in new[] { low, high })
                await api.WaitForAsync($"/api/v1/searches/{id}/trials", t => t.GetArrayLength() == 2, TimeSpan.FromSeconds(60));
            var (expertOnly, _) = await app.CreateUserAsync(StudioRoles.Expert);
            Assert.Equal(HttpStatusCode.Forbidden, (await app.Api(expertOnly).PostAsJsonAsync($"/api/v1/searches/{high}/priority", new { priority = "high" })).StatusCode);
            (await (await api.PostAsJsonAsync($"/api/v1/searches/{high}/priority", new { priority = "urgent" })).JsonAsync(HttpStatusCode.BadRequest))
                .AssertProblem(400, "Unknown priority");
            var raised = await api.PostJsonAsync($"/api/v1/searches/{high}/priority", new { priority = "high" }, HttpStatusCode.OK);
            Assert.Equal("high", raised.GetProperty("priority").GetString());

            var queue = (await api.GetJsonAsync("/api/v1/admin/queue")).EnumerateArray().ToList();
            var order = queue.Where(t => t.GetProperty("searchId").GetString() is var s && (s == low || s == high))
                .Select(t => t.GetProperty("searchId").GetString()).ToList();
            Assert.Equal([high, high, low, low], order);

            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<StudioDbContext>();
            var admission = scope.ServiceProvider.GetRequiredService<TrialAdmission>();
            async Task<string?> WhyWaitAsync(string searchId)
            {
                db.ChangeTracker.Clear();
                var search = await db.Searches.AsNoTracking().SingleAsync(s => s.Id == Guid.Parse(searchId));
                var trial = await db.Trials.AsNoTracking().Where(t => t.SearchId == search.Id && t.Status == TrialStatus.Queued).OrderBy(t => t.Number).FirstAsync();
                // The paused CPU must keep every trial waiting meanwhile, so the gate is asked about a device id no admin
                // has touched (which reads as active): only the priority and the limits decide. The queue is the trial's own.
                return await admission.WhyWaitAsync(trial, search, "cuda:99", CancellationToken.None);
            }

            Assert.Null(await WhyWaitAsync(high));
            Assert.Equal("a search with a higher priority is waiting for the same device", await WhyWaitAsync(low));

            // The high search's owner is at their limit of one with a trial running elsewhere: their waiting trial
            // cannot start, so it must not keep the device from the low one.
            await api.PutAsJsonAsync($"/api/v1/users/{expertId}/limits", new { maxConcurrentTrials = 1 });
            var highTrials = await db.Trials.Where(t => t.SearchId == Guid.Parse(high)).OrderBy(t => t.Number).ToListAsync();
            await db.Trials.Where(t => t.Id == highTrials[0].Id).ExecuteUpdateAsync(s => s
                .SetProperty(t => t.Status, TrialStatus.Running).SetProperty(t => t.LeaseOwner, "another-node/1/run")
                .SetProperty(t => t.LeaseExpiresAt, DateTimeOffset.UtcNow.AddMinutes(10)));
            Assert.Equal("its owner already runs 1 trial, their limit", await WhyWaitAsync(high));
            Assert.Null(await WhyWaitAsync(low));
        }
        finally
        {
            await api.PostJsonAsync("/api/v1/admin/resume", new { }, HttpStatusCode.OK);
        }
        await api.PostJsonAsync($"/api/v1/searches/{high}/cancel", new { }, HttpStatusCode.OK);
        Assert.Equal("completed", (await api.WaitForSearchEndAsync(low)).GetProperty("status").GetString());
    }

    private static async Task<string> StartSearchAsync(HttpClient api, string name, int maxTrials, int epochs, int? seed = null)
    {
        var dataset = await api.ImportAsync(TestImages.ClassFolderZip(perClass: 6), name);
        var search = await api.PostJsonAsync("/api/v1/searches", new
        {
            datasetId = dataset.GetProperty("id").GetString(),
            budget = new { maxTrials, maxMinutes = 10, maxEpochsPerTrial = epochs },
            algorithm = "random",
            seed,
        }, HttpStatusCode.Created);
        return search.GetProperty("id").GetString()!;
    }
}
