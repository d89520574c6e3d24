using System.Diagnostics;
using System.IO.Compression;
using AutoMLStudio.E2E.Pages;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace AutoMLStudio.E2E;

[Collection(StudioCollection.Name)]
public sealed class JourneyTests(StudioFixture studio, ITestOutputHelper output)
{
    [Fact]
    public async Task Expert_uploads_images_trains_watches_live_curves_registers_and_downloads_the_model()
    {
        var watch = Stopwatch.StartNew();
        var work = Directory.CreateTempSubdirectory("amls-e2e-files").FullName;
        var page = await studio.NewPageAsync();
        var step = 0;
        async Task Shot(string name)
        {
            var file = Path.Combine(studio.ScreenshotDir, $"{++step:00}-{name}.png");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
        }

        try
        {
            var login = new LoginPage(page);
            await login.GotoAsync();
            await Shot("sign-in");
            await login.SignInAndWaitAsync(StudioServer.AdminEmail, StudioServer.AdminPassword);
            await Shot("home");

            var datasets = new DatasetsPage(page);
            await datasets.GotoAsync();
            await datasets.ChooseAsync("Colours", TestZip.Create(work));
            await Shot("upload-chosen");
            await datasets.UploadAsync();

            var dataset = new DatasetPage(page);
            await dataset.Status.WaitForAsync();
            await Shot("dataset-importing");
            await dataset.WaitUntilReadyAsync();
            await page.Locator(".thumbnail img").First.WaitForAsync();
            await page.WaitForFunctionAsync("() => [...document.querySelectorAll('.thumbnail img')].every(i => i.complete)");
            await Shot("dataset-ready");

            Assert.Equal(3, await dataset.ClassRows.CountAsync());
            Assert.Contains("25", await dataset.ClassRows.First.InnerTextAsync());
            Assert.Contains("bad.png", await dataset.SkippedFiles.First.InnerTextAsync());
            Assert.Equal("75", await page.Locator(".images-total").InnerTextAsync());
            Assert.Equal(48, await dataset.Thumbnails.CountAsync()); // one page of the grid
            Assert.True(await dataset.ThumbnailsLoadedAsync(), "every thumbnail on the page decodes");
            var labels = await dataset.ThumbnailLabels.AllInnerTextsAsync();
            Assert.All(labels, l => Assert.Contains(l, TestZip.Classes));

            await dataset.OpenTrainFormAsync();
            await dataset.SetBudgetAsync(maxTrials: 2, maxMinutes: 4, maxEpochs: 3);
            await Shot("train-form");
            var search = new SearchPage(page);
            await search.ForgetPointCountsAsync();
            await dataset.StartTrainingAsync();

            var first = await search.WaitForMorePointsAsync(0, TimeSpan.FromMinutes(2));
            await Shot("search-first-points");
            await search.WaitForCompletionAsync(TimeSpan.FromMinutes(4));
            await Shot("search-completed");

            // Same document throughout: growth seen here came over the circuit, not from a reload.
            var seen = await search.PointCountsSeenAsync();
            output.WriteLine($"Curve point counts seen live: {string.Join(" → ", seen)} (first poll saw {first})");
            var positive = seen.Where(n => n > 0).ToList();
            Assert.True(positive.Count >= 2 && positive.Zip(positive.Skip(1)).All(p => p.Second > p.First),
                $"the curves should grow point by point without a reload; saw {string.Join(", ", seen)}");
            Assert.Equal(2, await search.CurveSeries.CountAsync());
            Assert.Equal(6, await search.CurvePoints.CountAsync()); // 2 trials x 3 epochs
            var accuracy = await search.TestAccuracy.InnerTextAsync();
            output.WriteLine($"Test accuracy shown: {accuracy}");
            Assert.Matches(@"^\d+(\.\d)?%$", accuracy.Trim());
            foreach (var label in TestZip.Classes)
                Assert.Contains(label, await search.ConfusionMatrix.InnerTextAsync());
            // Each trial's network and training settings are described in words, stage by stage.
            var architectures = await search.TrialArchitectures.AllInnerTextsAsync();
            Assert.Equal(2, architectures.Count);
            Assert.All(architectures, a => Assert.Matches(@"^stage 1: .+ \(\d+\)", a));
            Assert.All(await search.TrialTrainings.AllInnerTextsAsync(), t => Assert.Matches(@"^(adam|adamw|sgd)", t));

            await search.RegisterAsync("colour-classifier");
            await Shot("model-registered");
            await search.OpenModelsAsync();

            var models = new ModelsPage(page);
            await models.WaitAsync();
            await Shot("models");
            Assert.StartsWith("stage 1: ", await models.Networks("colour-classifier").First.InnerTextAsync());
            var zipPath = await models.DownloadAsync("colour-classifier", work);
            using (var zip = ZipFile.OpenRead(zipPath))
            {
                var names = zip.Entries.Select(e => e.FullName).ToList();
                Assert.Contains("weights.dat", names);
                Assert.Contains("model.json", names);
            }
            await page.GotoAsync("/searches");
            await page.Locator(".searches-table tbody tr").First.WaitForAsync();
            await Shot("searches-list");
            await page.GotoAsync("/datasets");
            await page.Locator(".datasets-table tbody tr").First.WaitForAsync();
            await Shot("datasets-list");
            output.WriteLine($"Journey took {watch.Elapsed.TotalSeconds:0} s; screenshots in {studio.ScreenshotDir}");
        }
        catch
        {
            await Shot("failure");
            output.WriteLine(studio.Server.Log);
            throw;
        }
        finally
        {
            await page.Context.CloseAsync();
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public async Task Wrong_password_shows_an_error_and_pages_need_sign_in()
    {
        var page = await studio.NewPageAsync();
        try
        {
            await page.GotoAsync("/datasets");
            await page.WaitForURLAsync(url => url.Contains("/account/login"));
            Assert.Contains("returnurl=%2fdatasets", page.Url.ToLowerInvariant());

            var login = new LoginPage(page);
            await login.SignInAsync(StudioServer.AdminEmail, "not-the-password");
            await login.Error.WaitForAsync();
            Assert.Equal("Email or password is wrong, or the account is locked for a while after too many attempts.", (await login.Error.InnerTextAsync()).Trim());
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(studio.ScreenshotDir, "00-wrong-password.png") });
        }
        catch
        {
            output.WriteLine(studio.Server.Log);
            throw;
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task Uploading_a_file_that_is_not_a_zip_shows_why_and_the_page_keeps_working()
    {
        var page = await studio.NewPageAsync();
        var work = Directory.CreateTempSubdirectory("amls-e2e-bad").FullName;
        try
        {
            await new LoginPage(page).GotoAsync();
            await new LoginPage(page).SignInAndWaitAsync(StudioServer.AdminEmail, StudioServer.AdminPassword);
            var datasets = new DatasetsPage(page);
            await datasets.GotoAsync();
            var notes = Path.Combine(work, "notes.zip");
            await File.WriteAllTextAsync(notes, "these are notes, not a zip archive");

            await datasets.ChooseAsync("Notes", notes);
            await page.ClickAsync(".upload-button");

            await datasets.UploadError.WaitForAsync();
            Assert.Contains("The file is not a zip archive", await datasets.UploadError.InnerTextAsync());
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(studio.ScreenshotDir, "21-upload-not-a-zip.png") });
            Assert.EndsWith("/datasets", page.Url);
            Assert.True(await page.Locator(".upload-button").IsEnabledAsync(), "the form stays usable after a refused upload");
        }
        catch
        {
            output.WriteLine(studio.Server.Log);
            throw;
        }
        finally
        {
            await page.Context.CloseAsync();
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public async Task Admin_sees_devices_creates_an_api_key_shown_once_and_revokes_it()
    {
        var page = await studio.NewPageAsync();
        try
        {
            await new LoginPage(page).GotoAsync();
            await new LoginPage(page).SignInAndWaitAsync(StudioServer.AdminEmail, StudioServer.AdminPassword);
            var admin = new AdminPage(page) { ScreenshotDir = studio.ScreenshotDir };
            await admin.GotoAsync();
            Assert.Contains("cpu", await admin.Devices.First.InnerTextAsync());

            var secret = await admin.CreateKeyAsync("ci-pipeline");
            Assert.StartsWith("ams_", secret);
            Assert.Contains(secret[..8], await admin.Row("ci-pipeline").InnerTextAsync());
            Assert.DoesNotContain(secret, await page.ContentAsync());

            await admin.RevokeAsync("ci-pipeline");
            await admin.Row("ci-pipeline").GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Revoke" })
                .WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(studio.ScreenshotDir, "22-admin.png"), FullPage = true });
        }
        catch
        {
            output.WriteLine(studio.Server.Log);
            throw;
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
