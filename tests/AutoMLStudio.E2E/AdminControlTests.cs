using AutoMLStudio.E2E.Pages;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace AutoMLStudio.E2E;

/// <summary>An admin pauses and resumes the CPU on the Admin page and finds both in the audit log.</summary>
[Collection(StudioCollection.Name)]
public sealed class AdminControlTests(StudioFixture studio, ITestOutputHelper output)
{
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
