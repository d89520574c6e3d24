using System.Net.Http.Headers;
using Microsoft.AspNetCore.SignalR.Client;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit.Abstractions;

namespace AutoMLStudio.E2E;

/// <summary>
/// Issue 7's storage mode: the studio on PostgreSQL (app database through Npgsql EF Core, job queue through
/// Hangfire.PostgreSql), as an operator runs it for several nodes. Its own server, on a database of its own.
/// </summary>
public sealed class PostgresStorageTests(ITestOutputHelper output)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task On_postgres_a_search_trains_is_killed_restarts_from_the_queue_it_left_and_its_model_serves()
    {
        if (await PostgresDatabase.UnavailableAsync() is { } why)
        {
            output.WriteLine($"SKIPPED: PostgreSQL is not available here: {why}");
            return;
        }
        await using var database = await PostgresDatabase.CreateAsync(output);
        var settings = new Dictionary<string, string> { ["Studio__Database"] = "postgres", ["Studio__ConnectionString"] = database.ConnectionString };
        var work = Directory.CreateTempSubdirectory("amls-e2e-postgres").FullName;
        var first = await StudioServer.StartAsync(StartTimeout, settings);
        StudioServer? second = null;
        try
        {
            Guid searchId;
            using (var api = new StudioApi(first))
            {
                var datasetId = await api.UploadReadyAsync(TestZip.Create(work, perClass: 100, size: 32), "On postgres");
                searchId = await api.StartSearchAsync(datasetId, "random", maxTrials: 2, maxEpochsPerTrial: 6, maxMinutes: 20, seed: 77);
                // Mid-search: a trial is running and has recorded an epoch.
                var deadline = DateTime.UtcNow.AddMinutes(3);
                while (!(await api.TrialsAsync(searchId)).Any(t => t is { Epochs.Count: >= 1 and < 6, Status: "running" }))
                {
                    if (DateTime.UtcNow > deadline || (await api.SearchAsync(searchId)).Status is "completed" or "failed")
                        throw new TimeoutException($"no trial was caught mid-training:\n{first.Log}");
                    await Task.Delay(100);
                }
            }
            // The queue is in PostgreSQL now: the restarted node finds the jobs the killed one left, beside the rows.
            await first.KillAsync();
            second = await first.RestartAsync(StartTimeout);
            using (var api = new StudioApi(second))
            {
                var search = await api.WaitForSearchEndAsync(searchId, TimeSpan.FromMinutes(5));
                var trials = await api.TrialsAsync(searchId);
                output.WriteLine($"search {search.Status}; " + string.Join("; ", trials.Select(t => $"trial {t.Number} {t.Status} epochs {string.Join(",", t.Epochs.Select(e => e.Epoch))}")));
                Assert.True(search.Status == "completed", $"search {search.Status}: {search.Error}\n{second.Log}");
                Assert.Equal([1, 2], trials.Select(t => t.Number));
                Assert.All(trials, t => Assert.Equal("completed", t.Status));
                Assert.All(trials, t => Assert.Equal(Enumerable.Range(1, 6), t.Epochs.Select(e => e.Epoch)));

                using var http = new HttpClient { BaseAddress = new Uri(second.BaseUrl) };
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", second.ApiKey);
                var modelId = await api.RegisterAsync(search.BestTrialId!.Value, "postgres colours");
                var endpointId = await api.DeployAsync(modelId, "postgres colours");
                var image = await File.ReadAllBytesAsync(TestZip.LooseImages(work, 1)[0]);
                var answer = await http.PostAsJsonAsync($"/api/v1/endpoints/{endpointId}/predict", new { images = new[] { Convert.ToBase64String(image) } });
                answer.EnsureSuccessStatusCode();
                var prediction = (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("predictions")[0];
                Assert.Contains(prediction.GetProperty("label").GetString(), TestZip.Classes);
            }
        }
        catch
        {
            output.WriteLine(string.Join('\n', (second ?? first).Log.Split('\n').TakeLast(80)));
            throw;
        }
        finally
        {
            if (second is not null) await second.DisposeAsync();
            await first.DisposeAsync();
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public async Task A_worker_node_trains_the_search_and_a_browser_client_of_the_web_node_hears_its_epochs()
    {
        if (await PostgresDatabase.UnavailableAsync() is { } why)
        {
            output.WriteLine($"SKIPPED: PostgreSQL is not available here: {why}");
            return;
        }
        await using var database = await PostgresDatabase.CreateAsync(output);
        var shared = Directory.CreateTempSubdirectory("amls-e2e-nodes").FullName;
        var common = new Dictionary<string, string>
        {
            ["Studio__Database"] = "postgres", ["Studio__ConnectionString"] = database.ConnectionString, ["Studio__DataDir"] = shared,
        };
        // The web node trains nothing, so every epoch the client hears was trained by the worker and relayed.
        await using var web = await StudioServer.StartAsync(StartTimeout, new Dictionary<string, string>(common)
        {
            ["Studio__NodeName"] = "web", ["Studio__Training__ServeDevices"] = "false",
        });
        await using var worker = await StudioServer.StartAsync(StartTimeout, new Dictionary<string, string>(common)
        {
            ["Studio__NodeName"] = "worker-1", ["Role"] = "worker",
        });
        try
        {
            await using var hub = new HubConnectionBuilder()
                .WithUrl($"{web.BaseUrl}/hubs/searches", o => o.Headers["Authorization"] = "Bearer " + web.ApiKey)
                .Build();
            var epochs = new List<JsonElement>();
            var devices = new List<string>();
            hub.On<JsonElement>("epochCompleted", e => { lock (epochs) epochs.Add(e); });
            hub.On<JsonElement>("trialStarted", e => { lock (devices) devices.Add(e.GetProperty("device").GetString()!); });
            await hub.StartAsync();

            using var api = new StudioApi(web);
            var datasetId = await api.UploadReadyAsync(TestZip.Create(shared, perClass: 12), "Two nodes");
            var searchId = await api.StartSearchAsync(datasetId, "random", maxTrials: 1, maxEpochsPerTrial: 3, maxMinutes: 10, seed: 5);
            await hub.InvokeAsync("JoinSearch", searchId);
            var search = await api.WaitForSearchEndAsync(searchId, TimeSpan.FromMinutes(4));
            Assert.True(search.Status == "completed", $"search {search.Status}: {search.Error}\n{worker.Log}");

            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (DateTime.UtcNow < deadline && epochs.Count < 3) await Task.Delay(100);
            lock (epochs)
            {
                // The client may join after epoch 1 on a fast machine; the later epochs always arrive, in order.
                var heard = epochs.Select(e => e.GetProperty("epoch").GetInt32()).ToList();
                Assert.Contains(3, heard);
                Assert.Equal(heard.Order(), heard);
                Assert.All(epochs, e => Assert.Equal(searchId.ToString(), e.GetProperty("searchId").GetString()));
            }
            Assert.Contains("Listening for other nodes' events", web.Log);
        }
        catch
        {
            output.WriteLine("--- web ---\n" + string.Join('\n', web.Log.Split('\n').TakeLast(40)));
            output.WriteLine("--- worker ---\n" + string.Join('\n', worker.Log.Split('\n').TakeLast(40)));
            throw;
        }
        finally
        {
            Directory.Delete(shared, recursive: true);
        }
    }

    [Fact]
    public async Task A_worker_killed_mid_trial_has_its_trial_taken_over_by_another_worker_and_nothing_runs_twice()
    {
        if (await PostgresDatabase.UnavailableAsync() is { } why)
        {
            output.WriteLine($"SKIPPED: PostgreSQL is not available here: {why}");
            return;
        }
        await using var database = await PostgresDatabase.CreateAsync(output);
        var shared = Directory.CreateTempSubdirectory("amls-e2e-takeover").FullName;
        Dictionary<string, string> Node(string name, bool worker) => new()
        {
            ["Studio__Database"] = "postgres", ["Studio__ConnectionString"] = database.ConnectionString, ["Studio__DataDir"] = shared,
            ["Studio__NodeName"] = name, ["Studio__Training__LeaseSeconds"] = "10",
            [worker ? "Role" : "Studio__Training__ServeDevices"] = worker ? "worker" : "false",
        };
        await using var web = await StudioServer.StartAsync(StartTimeout, Node("web", worker: false));
        var first = await StudioServer.StartAsync(StartTimeout, Node("worker-1", worker: true));
        StudioServer? second = null;
        try
        {
            using var api = new StudioApi(web);
            var datasetId = await api.UploadReadyAsync(TestZip.Create(shared, perClass: 100, size: 32), "Takeover");
            var searchId = await api.StartSearchAsync(datasetId, "random", maxTrials: 1, maxEpochsPerTrial: 8, maxMinutes: 20, seed: 9);
            var deadline = DateTime.UtcNow.AddMinutes(3);
            while (!(await api.TrialsAsync(searchId)).Any(t => t is { Epochs.Count: >= 2 and < 8, Status: "running" }))
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"the trial was not caught mid-training:\n{first.Log}");
                await Task.Delay(100);
            }
            // The second worker starts only now, so the trial began on the first, which dies without a word.
            second = await StudioServer.StartAsync(StartTimeout, Node("worker-2", worker: true));
            await first.KillAsync();

            var search = await api.WaitForSearchEndAsync(searchId, TimeSpan.FromMinutes(5));
            var trials = await api.TrialsAsync(searchId);
            output.WriteLine($"search {search.Status}; " + string.Join("; ", trials.Select(t => $"trial {t.Number} {t.Status} epochs {string.Join(",", t.Epochs.Select(e => e.Epoch))}")));
            Assert.True(search.Status == "completed", $"search {search.Status}: {search.Error}");
            var trial = Assert.Single(trials);
            Assert.Equal("completed", trial.Status);
            // Every epoch once: the takeover resumed from the checkpoint instead of training again from the start.
            Assert.Equal(Enumerable.Range(1, 8), trial.Epochs.Select(e => e.Epoch));
        }
        catch
        {
            output.WriteLine("--- worker-2 ---\n" + string.Join('\n', (second?.Log ?? "").Split('\n').TakeLast(40)));
            throw;
        }
        finally
        {
            if (second is not null) await second.DisposeAsync();
            await first.DisposeAsync();
            Directory.Delete(shared, recursive: true);
        }
    }

    [Fact]
    public async Task PostgreSQL_stopped_for_30_seconds_mid_search_and_started_again_and_the_search_still_completes()
    {
        if (await PostgresDatabase.UnavailableAsync() is { } why)
        {
            output.WriteLine($"SKIPPED: PostgreSQL is not available here: {why}");
            return;
        }
        await using var database = await PostgresDatabase.CreateAsync(output);
        var work = Directory.CreateTempSubdirectory("amls-e2e-pg-outage").FullName;
        await using var studio = await StudioServer.StartAsync(StartTimeout, new Dictionary<string, string>
        {
            ["Studio__Database"] = "postgres", ["Studio__ConnectionString"] = database.ConnectionString, ["Studio__Training__LeaseSeconds"] = "10",
        });
        try
        {
            using var api = new StudioApi(studio);
            var datasetId = await api.UploadReadyAsync(TestZip.Create(work, perClass: 100, size: 32), "Outage");
            var searchId = await api.StartSearchAsync(datasetId, "random", maxTrials: 2, maxEpochsPerTrial: 6, maxMinutes: 20, seed: 21);
            var deadline = DateTime.UtcNow.AddMinutes(3);
            while (!(await api.TrialsAsync(searchId)).Any(t => t is { Epochs.Count: >= 1, Status: "running" }))
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException("no trial started");
                await Task.Delay(100);
            }
            await PostgresDatabase.StopServerAsync();
            await Task.Delay(TimeSpan.FromSeconds(30));
            await PostgresDatabase.StartServerAsync();

            var search = await api.WaitForSearchEndAsync(searchId, TimeSpan.FromMinutes(5));
            var trials = await api.TrialsAsync(searchId);
            output.WriteLine($"search {search.Status}; " + string.Join("; ", trials.Select(t => $"trial {t.Number} {t.Status} epochs {string.Join(",", t.Epochs.Select(e => e.Epoch))}")));
            Assert.True(search.Status == "completed", $"search {search.Status}: {search.Error}");
            Assert.Equal([1, 2], trials.Select(t => t.Number));
            Assert.All(trials, t => Assert.Equal("completed", t.Status));
            Assert.All(trials, t => Assert.Equal(Enumerable.Range(1, 6), t.Epochs.Select(e => e.Epoch)));
        }
        catch
        {
            output.WriteLine(string.Join('\n', studio.Log.Split('\n').TakeLast(60)));
            throw;
        }
        finally
        {
            await PostgresDatabase.StartServerAsync();
            Directory.Delete(work, recursive: true);
        }
    }
}
