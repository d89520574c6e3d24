using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Datasets;
using Microsoft.Extensions.DependencyInjection;
using SkiaSharp;

namespace AutoMLStudio.Web.Tests;

[Collection(StudioCollection.Name)]
public sealed class DatasetQualityTests(StudioApp app)
{
    // Smooth waves: no flat areas, so a perceptual hash is stable under small edits.
    private static SKBitmap Waves(int size = 64)
    {
        var bitmap = new SKBitmap(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Opaque));
        for (var y = 0; y < size; y++)
        for (var x = 0; x < size; x++)
        {
            var v = (byte)Math.Clamp(128 + 70 * Math.Sin(x * 0.11 + y * 0.05 + 1) + 45 * Math.Cos(x * 0.04 - y * 0.09), 0, 255);
            bitmap.SetPixel(x, y, new SKColor(v, (byte)(255 - v), 90));
        }
        return bitmap;
    }

    private static byte[] Encode(SKBitmap bitmap)
    {
        using var image = SKImage.FromBitmap(bitmap);
        return image.Encode(SKEncodedImageFormat.Png, 100).ToArray();
    }

    private static List<string> Codes(JsonElement quality) =>
        quality.GetProperty("details").EnumerateArray().Select(w => w.GetProperty("code").GetString()!).ToList();

    [Fact]
    public async Task Report_flags_imbalance_small_classes_duplicates_near_duplicates_and_skipped_files()
    {
        var api = app.Api();
        using var waves = Waves();
        using var edited = waves.Copy();
        edited.SetPixel(10, 10, SKColors.White);
        edited.SetPixel(40, 33, SKColors.Black);
        var copied = TestImages.Png("checker", 0);
        var zip = TestImages.Zip(
        [
            .. Enumerable.Range(0, 30).Select(i => ($"big/big-{i:00}.png", TestImages.Png("checker", i))),
            .. Enumerable.Range(0, 4).Select(i => ($"medium/medium-{i}.png", TestImages.Png("horizontal", 100 + i))),
            ("tiny/tiny-0.png", TestImages.Png("vertical", 200)),
            ("tiny/tiny-1.png", TestImages.Png("vertical", 201)),
            ("medium/copy-of-big.png", copied),
            ("big/waves.png", Encode(waves)),
            ("big/waves-edited.png", Encode(edited)),
            ("big/broken.png", "not a png"u8.ToArray()),
        ]);

        var dataset = await api.ImportAsync(zip, "Quality");
        var id = dataset.GetProperty("id").GetString();
        var quality = (await api.WaitForAsync($"/api/v1/datasets/{id}/quality",
            q => q.GetProperty("computedAt").ValueKind != JsonValueKind.Null, TimeSpan.FromSeconds(60)));

        var details = quality.GetProperty("details").EnumerateArray().ToList();
        Assert.All(details, w =>
        {
            Assert.False(string.IsNullOrWhiteSpace(w.GetProperty("message").GetString()));
            Assert.False(string.IsNullOrWhiteSpace(w.GetProperty("action").GetString()));
        });
        var imbalance = details.Single(w => w.GetProperty("code").GetString() == "imbalance");
        Assert.Contains("Add items to the small classes", imbalance.GetProperty("action").GetString());
        Assert.Contains(details, w => w.GetProperty("code").GetString() == "class_too_small" && w.GetProperty("message").GetString()!.Contains("'tiny'"));
        Assert.True(quality.GetProperty("classes").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "tiny").GetProperty("tooSmall").GetBoolean());

        Assert.Contains("duplicate_label_conflict", Codes(quality));
        var exact = quality.GetProperty("exactDuplicates");
        Assert.Equal(1, exact.GetProperty("conflictingGroups").GetInt32());
        Assert.Equal(["big/big-00.png", "medium/copy-of-big.png"],
            exact.GetProperty("listed")[0].GetProperty("items").EnumerateArray().Select(i => i.GetProperty("name").GetString()).Order());

        Assert.Contains("near_duplicates", Codes(quality));
        Assert.Contains(quality.GetProperty("nearDuplicates").GetProperty("listed").EnumerateArray(), g =>
        {
            var names = g.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("name").GetString()).ToList();
            return names.Contains("big/waves.png") && names.Contains("big/waves-edited.png");
        });

        Assert.Equal(1, quality.GetProperty("skippedFiles").GetInt32());
        Assert.Contains("skipped_files", Codes(quality));
        var images = quality.GetProperty("images");
        Assert.Equal(["under 32 px", "64–127 px"], images.GetProperty("sizes").EnumerateArray().Select(b => b.GetProperty("bin").GetString()));
        Assert.Equal(39, images.GetProperty("sizes").EnumerateArray().Sum(b => b.GetProperty("count").GetInt32()));
        Assert.Equal(39, images.GetProperty("aspects").EnumerateArray().Sum(b => b.GetProperty("count").GetInt32()));
        Assert.Equal("colour", images.GetProperty("channels")[0].GetProperty("bin").GetString());

        // The labeling view's "suspect" filter lists the flagged copies.
        var suspects = (await api.GetJsonAsync($"/api/v1/datasets/{id}/items?suspect=true&take=100")).GetProperty("items").EnumerateArray()
            .Select(i => i.GetProperty("originalName").GetString()).ToList();
        Assert.Contains("big/big-00.png", suspects);
        Assert.Contains("medium/copy-of-big.png", suspects);
        Assert.Contains("big/waves.png", suspects);
        Assert.Contains("big/waves-edited.png", suspects);
        Assert.DoesNotContain("tiny/tiny-0.png", suspects);

        // The dataset itself carries the same report, with the plain warning sentences kept for older clients.
        var fromDataset = (await api.GetJsonAsync($"/api/v1/datasets/{id}")).GetProperty("quality");
        Assert.Equal(details.Count, fromDataset.GetProperty("warnings").GetArrayLength());
        Assert.Equal(quality.GetProperty("computedAt").GetString(), fromDataset.GetProperty("computedAt").GetString());
    }

    [Fact]
    public async Task A_label_edit_recomputes_the_report()
    {
        var api = app.Api();
        var dataset = await api.ImportAsync(TestImages.ClassFolderZip(perClass: 4), "Relabel");
        var id = dataset.GetProperty("id").GetString();
        var before = await api.WaitForAsync($"/api/v1/datasets/{id}/quality",
            q => q.GetProperty("computedAt").ValueKind != JsonValueKind.Null, TimeSpan.FromSeconds(60));
        Assert.DoesNotContain("class_too_small", Codes(before));

        // A labeling session: two of the four 'vertical' images move to 'checker', leaving 'vertical' too small.
        foreach (var item in (await api.GetJsonAsync($"/api/v1/datasets/{id}/items?label=vertical&take=2")).GetProperty("items").EnumerateArray())
        {
            var put = await api.PutAsJsonAsync($"/api/v1/datasets/{id}/items/{item.GetProperty("id").GetString()}/label", new { label = "checker" });
            await put.JsonAsync(HttpStatusCode.OK);
        }

        var after = await api.WaitForAsync($"/api/v1/datasets/{id}/quality",
            q => q.GetProperty("computedAt").GetString() != before.GetProperty("computedAt").GetString() && Codes(q).Contains("class_too_small"),
            TimeSpan.FromSeconds(60));
        Assert.Contains(after.GetProperty("details").EnumerateArray(), w => w.GetProperty("message").GetString()!.Contains("'vertical'"));
        var recompute = await api.PostAsync($"/api/v1/datasets/{id}/quality", null);
        Assert.Equal(HttpStatusCode.Accepted, recompute.StatusCode);
    }

    [Fact]
    public async Task Tabular_report_finds_missing_values_constant_columns_and_a_leaking_column()
    {
        var datasetId = await InsertTabularAsync(app, "Tabular quality", n =>
        {
            var label = n % 2 == 0 ? "yes" : "no";
            var values = new Dictionary<string, string?>
            {
                ["age"] = n % 8 == 3 ? "" : (18 + n * 7 % 61).ToString(),
                ["country"] = "NL",
                ["outcome_code"] = label == "yes" ? "Y1" : "N0",
                ["colour"] = (n * 7 % 3) switch { 0 => "red", 1 => "green", _ => "blue" },
            };
            return (label, values);
        }, rows: 40);

        using var scope = app.Services.CreateScope();
        var report = await scope.ServiceProvider.GetRequiredService<ComputeQuality>().HandleAsync(datasetId, CancellationToken.None);

        var columns = report.Tabular!.Columns.ToDictionary(c => c.Name);
        Assert.Equal(5, columns["age"].Missing);
        Assert.Equal(0, columns["country"].Missing);
        Assert.True(columns["country"].Constant);
        Assert.False(columns["colour"].Constant);
        Assert.Equal(["outcome_code"], report.Tabular.Leakage.Select(l => l.Column));
        Assert.Contains(report.Warnings, w => w is { Code: "leakage", Severity: QualitySeverity.Error } && w.Message.Contains("'outcome_code'"));
        Assert.Contains(report.Warnings, w => w.Code == "constant_column" && w.Message.Contains("'country'") && w.Action == "Drop the column.");
        Assert.Contains(report.Warnings, w => w.Code == "missing_values" && w.Message.Contains("'age'"));
        Assert.Null(report.Images);
    }

    /// <summary>A ready tabular dataset written straight into the database, until the CSV import exists.</summary>
    public static async Task<Guid> InsertTabularAsync(StudioApp app, string name, Func<int, (string? Label, Dictionary<string, string?> Values)> row, int rows)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<StudioDbContext>();
        var dataset = new Dataset { Name = name, Kind = DatasetKind.Tabular, Status = DatasetStatus.Ready, Source = "csv", LabelColumn = "label", ItemCount = rows };
        db.Datasets.Add(dataset);
        for (var n = 0; n < rows; n++)
        {
            var (label, values) = row(n);
            var json = JsonSerializer.Serialize(values);
            db.DatasetItems.Add(new DatasetItem
            {
                DatasetId = dataset.Id, OriginalName = $"row {n + 1}", SourceIndex = n + 1, Label = label, ValuesJson = json,
                ContentHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(json + n))),
            });
        }
        dataset.LabeledCount = Enumerable.Range(0, rows).Count(n => row(n).Label is not null);
        await db.SaveChangesAsync();
        return dataset.Id;
    }
}
