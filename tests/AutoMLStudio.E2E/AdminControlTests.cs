using AutoMLStudio.E2E.Pages;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace AutoMLStudio.E2E;

/// <summary>
/// An admin steers the job system from the Admin page: pauses and resumes the CPU, cancels a running trial, raises a
/// waiting search's priority and limits a person's concurrent trials, and finds each in the audit log.
/// </summary>
[Collection(StudioCollection.Name)]
public sealed class AdminControlTests(StudioFixture studio, ITestOutputHelper output) : IDisposable
{
    private readonly StudioApi _api = new(studio.Server);
    private readonly string _work = Directory.CreateTempSubdirectory("amls-e2e-admin").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task Admin_cancels_a_running_trial_raises_a_waiting_searchs_priority_and_limits_a_person()
    {
        var datasetId = await _api.UploadReadyAsync(TestZip.Create(_work, perClass: 8), "Admin queue colours");
        var email = $"limited-{Guid.NewGuid():N}@test.local";
        await _api.CreateUserAsync(email, "Limited-Passw0rd", "Expert", "Limited person");
        // Many short epochs: the trial is still training when the admin gets to it.
        var running = await _api.StartSearchAsync(datasetId, "random", maxTrials: 2, maxEpochsPerTrial: 400, maxMinutes: 10, seed: 5);
        Guid? waiting = null;
        await studio.JourneyAsync(output, "admin-queue", async page =>
        {
            var admin = new AdminPage(page) { ScreenshotDir = studio.ScreenshotDir };
            await admin.GotoAsync();

            // The page refreshes on its own: the running trial appears under the CPU with its search's dataset.
            var trial = admin.RunningTrials.Filter(new LocatorFilterOptions { HasText = "Admin queue colours" }).First;
            await trial.WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
            await studio.ShotAsync(page, "26-admin-running-trial");
            await trial.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Cancel trial" }).ClickAsync();
            await admin.WaitForAuditAsync("trial.cancelled");

            // With the system paused, a new search's trials wait in the queue, where the admin raises its priority.
            await page.ClickAsync(".pause-system");
            await admin.WaitForAuditAsync("system.paused");
            waiting = await _api.StartSearchAsync(datasetId, "random", maxTrials: 2, maxEpochsPerTrial: 1, maxMinutes: 10, seed: 6);
            var row = admin.WaitingTrials.Filter(new LocatorFilterOptions { Has = page.Locator($"a[href='/searches/{waiting}']") }).First;
            await row.WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
            await row.Locator(".search-priority").ClickAsync();
            await page.GetByRole(AriaRole.Option, new PageGetByRoleOptions { Name = "high", Exact = true }).ClickAsync();
            await admin.WaitForAuditAsync("search.priority");
            Assert.Contains("from normal to high", await admin.AuditRows.First.InnerTextAsync());

            await admin.User(email).Locator("input").FillAsync("2");
            await admin.User(email).GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Save" }).ClickAsync();
            await admin.WaitForAuditAsync("user.limit");
            Assert.Contains("at most 2 concurrent trials", await admin.AuditRows.First.InnerTextAsync());
            await studio.ShotAsync(page, "27-admin-queue-and-limits");

            await page.ClickAsync(".resume-system");
            await admin.WaitForAuditAsync("system.resumed");
        });

        var cancelled = (await _api.TrialsAsync(running)).First(t => t.Status == "failed");
        Assert.Equal("Cancelled by an admin.", cancelled.Error);
        Assert.Equal("completed", (await _api.WaitForSearchEndAsync(running, TimeSpan.FromMinutes(3))).Status);
        Assert.Equal("completed", (await _api.WaitForSearchEndAsync(waiting!.Value, TimeSpan.FromMinutes(3))).Status);
    }

    [Fact]
    public async Task Admin_tries_to_import_a_file_that_is_not_backbone_weights_and_is_told_why() =>
        await studio.JourneyAsync(output, "admin-backbones", async page =>
        {
            var admin = new AdminPage(page) { ScreenshotDir = studio.ScreenshotDir };
            await admin.GotoAsync();
            var panel = page.Locator(".backbone-import");
            var junk = Path.Combine(_work, "resnet18.dat");
            await File.WriteAllTextAsync(junk, "these are not weights");
            await Interactive.ChooseFilesAsync(panel.Locator("input[type=file]"), junk);
            await Assertions.Expect(panel.Locator(".backbone-chosen")).ToContainTextAsync("resnet18.dat");
            await panel.Locator(".import-backbone").ClickAsync();
            await Assertions.Expect(panel.Locator(".backbone-error")).ToContainTextAsync("Not a weights file");
            await Assertions.Expect(page.Locator(".backbones-table")).ToContainTextAsync("None imported yet.");
            await panel.ScrollIntoViewIfNeededAsync();
            await studio.ShotAsync(page, "33-admin-backbone-refused");
        });

    [Fact]
    public async Task Admin_pauses_and_resumes_the_cpu_and_sees_it_in_the_audit_log() =>
        await studio.JourneyAsync(output, "admin-control", async page =>
        {
            var admin = new AdminPage(page) { ScreenshotDir = studio.ScreenshotDir };
            await admin.GotoAsync();
            Assert.Equal("active", await admin.DeviceStateAsync("cpu"));
            Assert.Equal("/admin/jobs", await page.Locator(".jobs-dashboard-link").GetAttributeAsync("href"));

            await admin.ControlDeviceAsync("cpu", "Pause", "paused");
            await admin.AuditRows.Filter(new LocatorFilterOptions { HasText = "device.paused" }).First.WaitForAsync();
            await studio.ShotAsync(page, "23-admin-device-paused");

            await admin.ControlDeviceAsync("cpu", "Resume", "active");
            var newest = admin.AuditRows.First;
            await newest.Filter(new LocatorFilterOptions { HasText = "device.resumed" }).WaitForAsync();
            Assert.Contains("Administrator", await newest.InnerTextAsync());
            Assert.Contains("cpu", await newest.InnerTextAsync());
            await studio.ShotAsync(page, "24-admin-device-resumed");

            // The jobs dashboard opens for the admin in the same browser session.
            await page.GotoAsync("/admin/jobs");
            await page.GetByText("AutoML Studio jobs").First.WaitForAsync();
            await studio.ShotAsync(page, "25-admin-jobs-dashboard");
        });
}
