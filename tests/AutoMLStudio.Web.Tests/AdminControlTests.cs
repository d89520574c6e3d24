using System.Net;
using System.Text.Json;
using AutoMLStudio.Core.Identity;

namespace AutoMLStudio.Web.Tests;

/// <summary>
/// Admin control through the API: the jobs dashboard, the audit log, and pausing or draining devices while a real
/// (tiny) search trains. While a device is paused or draining, its waiting trials stay <c>queued</c> and the search
/// stays <c>running</c>; a trial stopped by a pause is <c>queued</c> again and later resumes from its checkpoint.
/// </summary>
[Collection(StudioCollection.Name)]
public sealed class AdminControlTests(StudioApp app)
{
    [Fact]
    public async Task Admin_jobs_dashboard_is_served_to_admins_only()
    {
        var page = await app.Api().GetAsync("/admin/jobs");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("AutoML Studio jobs", await page.Content.ReadAsStringAsync());

        var (expert, _) = await app.CreateUserAsync(StudioRoles.Expert);
        var (viewer, _) = await app.CreateUserAsync(StudioRoles.Viewer);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.Api(expert).GetAsync("/admin/jobs")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.Api(viewer).GetAsync("/admin/jobs/jobs/enqueued")).StatusCode);

        var signedOut = await app.Api(apiKey: null).GetAsync("/admin/jobs");
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.StartsWith("/account/login", signedOut.Headers.Location?.PathAndQuery);
    }

    [Fact]
    public async Task Device_control_is_for_admins_names_unknown_devices_and_lands_in_the_audit_log()
    {
        var api = app.Api();
        var (expert, _) = await app.CreateUserAsync(StudioRoles.Expert);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.Api(expert).PostAsync("/api/v1/devices/cpu/pause", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.Api(expert).PostAsync("/api/v1/admin/pause", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.Api(expert).GetAsync("/api/v1/admin/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Api(apiKey: null).GetAsync("/api/v1/admin/audit")).StatusCode);
        (await (await api.PostAsync("/api/v1/devices/gpu-7/pause", null)).JsonAsync(HttpStatusCode.NotFound)).AssertProblem(404, "Device not found");

        try
        {
            var drained = await api.PostJsonAsync("/api/v1/devices/cpu/drain", new { }, HttpStatusCode.OK);
            Assert.Equal("draining", drained.GetProperty("state").GetString());
            Assert.Equal("draining", (await CpuAsync(api)).GetProperty("state").GetString());
            var paused = await api.PostJsonAsync("/api/v1/admin/pause", new { }, HttpStatusCode.OK);
            Assert.All(paused.EnumerateArray(), d => Assert.Equal("paused", d.GetProperty("state").GetString()));
        }
        finally
        {
            await api.PostJsonAsync("/api/v1/admin/resume", new { }, HttpStatusCode.OK);
        }
        Assert.Equal("active", (await CpuAsync(api)).GetProperty("state").GetString());

        var created = await api.PostJsonAsync("/api/v1/users", new { email = $"audited-{Guid.NewGuid():N}@test.local", password = "Audited-Passw0rd", role = "Viewer" },
            HttpStatusCode.Created);

        var audit = (await api.GetJsonAsync("/api/v1/admin/audit?take=4")).EnumerateArray().ToList();
        Assert.Equal(["user.created", "system.resumed", "system.paused", "device.draining"], audit.Select(a => a.GetProperty("action").GetString()));
        Assert.Equal(created.GetProperty("id").GetString(), audit[0].GetProperty("targetId").GetString());
        Assert.Equal("cpu", audit[3].GetProperty("targetId").GetString());
        var me = await api.GetJsonAsync("/api/v1/me");
        Assert.All(audit, a => Assert.Equal(me.GetProperty("userId").GetString(), a.GetProperty("userId").GetString()));
        Assert.All(audit, a => Assert.False(string.IsNullOrEmpty(a.GetProperty("userName").GetString())));
    }

    [Fact]
    public async Task A_paused_system_holds_a_search_and_resuming_completes_it_with_every_trial_accounted_for()
    {
        var api = app.Api();
        var searchId = await StartSearchAsync(api, "paused system", maxTrials: 3);
        var training = await api.WaitForTrainingTrialAsync(searchId);

        try
        {
            await api.PostJsonAsync("/api/v1/admin/pause", new { }, HttpStatusCode.OK);
            // The running trial goes back to the queue at its next epoch; nothing starts while the system is paused.
            var held = await api.WaitForAsync($"/api/v1/searches/{searchId}/trials",
                t => t.EnumerateArray().All(x => x.GetProperty("status").GetString() != "running"), TimeSpan.FromSeconds(60));
            var stopped = held.EnumerateArray().Single(t => t.GetProperty("id").GetString() == training);
            Assert.Equal("queued", stopped.GetProperty("status").GetString());
            Assert.InRange(stopped.GetProperty("epochs").GetArrayLength(), 1, Epochs - 1);
            await Task.Delay(TimeSpan.FromSeconds(5));
            var later = await api.GetJsonAsync($"/api/v1/searches/{searchId}/trials");
            Assert.Equal(Snapshot(held), Snapshot(later));
            Assert.DoesNotContain(later.EnumerateArray(), t => t.GetProperty("status").GetString() == "running");
            Assert.Equal("running", (await api.GetJsonAsync($"/api/v1/searches/{searchId}")).GetProperty("status").GetString());
        }
        finally
        {
            await api.PostJsonAsync("/api/v1/admin/resume", new { }, HttpStatusCode.OK);
        }

        var done = await api.WaitForSearchEndAsync(searchId);
        Assert.Equal("completed", done.GetProperty("status").GetString());
        var trials = (await api.GetJsonAsync($"/api/v1/searches/{searchId}/trials")).EnumerateArray().ToList();
        Assert.Equal(3, trials.Count);
        Assert.All(trials, t => Assert.Contains(t.GetProperty("status").GetString(), new[] { "completed", "pruned" }));
    }

    [Fact]
    public async Task A_search_paused_before_it_has_started_stays_paused_and_resumes_to_completion()
    {
        var api = app.Api();
        // Enough images that preparing the search's data takes a while: the pause lands while it is still queued.
        var dataset = await api.ImportAsync(TestImages.ClassFolderZip(perClass: 150), "paused early");
        var search = await api.PostJsonAsync("/api/v1/searches", new
        {
            datasetId = dataset.GetProperty("id").GetString(), algorithm = "random", seed = 3,
            budget = new { maxTrials = 1, maxMinutes = 10, maxEpochsPerTrial = 1 },
        }, HttpStatusCode.Created);
        var searchId = search.GetProperty("id").GetString()!;
        var paused = await (await api.PostAsync($"/api/v1/searches/{searchId}/pause", null)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("paused", paused.GetProperty("status").GetString());

        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal("paused", (await api.GetJsonAsync($"/api/v1/searches/{searchId}")).GetProperty("status").GetString());
        Assert.Empty((await api.GetJsonAsync($"/api/v1/searches/{searchId}/trials")).EnumerateArray());

        await (await api.PostAsync($"/api/v1/searches/{searchId}/resume", null)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("completed", (await api.WaitForSearchEndAsync(searchId)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_draining_device_finishes_its_running_trial_and_starts_no_other_until_resumed()
    {
        var api = app.Api();
        var searchId = await StartSearchAsync(api, "drained device", maxTrials: 3);
        var running = await api.WaitForTrainingTrialAsync(searchId);

        try
        {
            await api.PostJsonAsync("/api/v1/devices/cpu/drain", new { }, HttpStatusCode.OK);
            // The next trial is proposed when the running one ends, and waits in the queue.
            var drained = await api.WaitForAsync($"/api/v1/searches/{searchId}/trials",
                t => t.EnumerateArray().All(x => x.GetProperty("status").GetString() != "running")
                     && t.EnumerateArray().Any(x => x.GetProperty("status").GetString() == "queued"), TimeSpan.FromSeconds(60));
            var first = drained.EnumerateArray().Single(t => t.GetProperty("id").GetString() == running);
            Assert.Equal("completed", first.GetProperty("status").GetString());
            await Task.Delay(TimeSpan.FromSeconds(5));
            var later = await api.GetJsonAsync($"/api/v1/searches/{searchId}/trials");
            Assert.Equal(Snapshot(drained), Snapshot(later));
            Assert.All(later.EnumerateArray().Where(t => t.GetProperty("status").GetString() == "queued"),
                t => Assert.Equal(0, t.GetProperty("epochs").GetArrayLength()));
        }
        finally
        {
            await api.PostJsonAsync("/api/v1/devices/cpu/resume", new { }, HttpStatusCode.OK);
        }

        var done = await api.WaitForSearchEndAsync(searchId);
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal(3, (await api.GetJsonAsync($"/api/v1/searches/{searchId}/trials")).GetArrayLength());
    }

    [Fact]
    public async Task Pausing_resuming_and_cancelling_a_search_is_audited_with_the_caller()
    {
        var api = app.Api();
        var (expertKey, expertId) = await app.CreateUserAsync(StudioRoles.Expert);
        var expert = app.Api(expertKey);
        string searchId;
        // With the system paused the search cannot finish before the test acts on it.
        await api.PostJsonAsync("/api/v1/admin/pause", new { }, HttpStatusCode.OK);
        try
        {
            searchId = await StartSearchAsync(expert, "audited search", maxTrials: 1);
            // A pause while the search is still preparing is overwritten when preparation ends (a separate issue); wait for it.
            await expert.WaitForAsync($"/api/v1/searches/{searchId}", x => x.GetProperty("status").GetString() == "running", TimeSpan.FromSeconds(60));
            await expert.PostJsonAsync($"/api/v1/searches/{searchId}/pause", new { }, HttpStatusCode.OK);
            await expert.PostJsonAsync($"/api/v1/searches/{searchId}/resume", new { }, HttpStatusCode.OK);
            await api.PostJsonAsync($"/api/v1/searches/{searchId}/cancel", new { }, HttpStatusCode.OK);
        }
        finally
        {
            await api.PostJsonAsync("/api/v1/admin/resume", new { }, HttpStatusCode.OK);
        }

        var audit = (await api.GetJsonAsync("/api/v1/admin/audit?take=4")).EnumerateArray().ToList();
        Assert.Equal(["system.resumed", "search.cancelled", "search.resumed", "search.paused"], audit.Select(a => a.GetProperty("action").GetString()));
        Assert.All(audit.Skip(1), a => Assert.Equal(searchId, a.GetProperty("targetId").GetString()));
        Assert.Equal(expertId, audit[2].GetProperty("userId").GetString());
        Assert.Equal(expertId, audit[3].GetProperty("userId").GetString());
        Assert.NotEqual(expertId, audit[1].GetProperty("userId").GetString());
    }

    private static async Task<JsonElement> CpuAsync(HttpClient api) =>
        (await api.GetJsonAsync("/api/v1/devices")).EnumerateArray().Single(d => d.GetProperty("id").GetString() == "cpu");

    // Enough epochs that a trial is still training when the test acts on it (each one takes a few hundredths of a second).
    private const int Epochs = 80;

    private static async Task<string> StartSearchAsync(HttpClient api, string name, int maxTrials)
    {
        var dataset = await api.ImportAsync(TestImages.ClassFolderZip(perClass: 6), name);
        var search = await api.PostJsonAsync("/api/v1/searches", new
        {
            datasetId = dataset.GetProperty("id").GetString(),
            budget = new { maxTrials, maxMinutes = 10, maxEpochsPerTrial = Epochs },
            algorithm = "random",
            seed = 7,
        }, HttpStatusCode.Created);
        return search.GetProperty("id").GetString()!;
    }

    // Which trials exist, in which state, with how many epochs: equal snapshots mean nothing moved.
    private static List<string> Snapshot(JsonElement trials) =>
        [.. trials.EnumerateArray().Select(t => $"{t.GetProperty("number").GetInt32()}:{t.GetProperty("status").GetString()}:{t.GetProperty("epochs").GetArrayLength()}").Order()];
}
