using System.Net;
using System.Text;
using System.Text.Json;

namespace AutoMLStudio.Web.Tests;

/// <summary>Bad uploads get a problem-details answer a non-expert can act on, and leave nothing behind.</summary>
[Collection(StudioCollection.Name)]
public sealed class HostileUploadTests(StudioApp app)
{
    public static TheoryData<string, byte[], string> RefusedUploads => new()
    {
        { "not a zip", Encoding.UTF8.GetBytes("just some text, not an archive"), "Not a zip" },
        { "empty file", [], "Empty file" },
        { "empty zip", TestImages.Zip(), "Empty zip" },
        { "no images or texts", TestImages.Zip(("cats/readme.md", "hello"u8.ToArray()), ("notes.docx", "x"u8.ToArray())), "Nothing to import" },
        { "text file at the root", TestImages.Zip(("readme.txt", "hello"u8.ToArray())), "Nothing to import" },
        { "truncated zip", TestImages.ClassFolderZip(perClass: 5)[..400], "Damaged zip" },
    };

    [Theory]
    [MemberData(nameof(RefusedUploads))]
    public async Task Refused_upload_gets_a_clear_problem_and_creates_no_dataset(string why, byte[] content, string title)
    {
        var api = app.Api();
        var name = $"refused {why} {Guid.NewGuid():N}";

        var problem = await (await api.UploadAsync(content, name: name)).JsonAsync(HttpStatusCode.BadRequest);

        problem.AssertProblem(400, title);
        var datasets = await api.GetJsonAsync("/api/v1/datasets");
        Assert.DoesNotContain(datasets.EnumerateArray(), d => d.GetProperty("name").GetString() == name);
        AssertNoLeftoverUploads();
    }

    [Fact]
    public async Task Upload_over_the_size_limit_gets_413_naming_the_limit()
    {
        var tooBig = new byte[app.MaxUploadBytes + 10];
        "PK"u8.CopyTo(tooBig);

        var problem = await (await app.Api().UploadAsync(tooBig)).JsonAsync(HttpStatusCode.RequestEntityTooLarge);

        problem.AssertProblem(413, "too large");
        Assert.Contains("MB", problem.GetProperty("detail").GetString());
        AssertNoLeftoverUploads();
    }

    [Fact]
    public async Task Request_without_a_file_gets_a_clear_problem()
    {
        var api = app.Api();
        using var form = new MultipartFormDataContent { { new StringContent("x"), "name" } };
        (await (await api.PostAsync("/api/v1/datasets", form)).JsonAsync(HttpStatusCode.BadRequest)).AssertProblem(400, "File missing");

        var json = new StringContent("{}", Encoding.UTF8, "application/json");
        (await (await api.PostAsync("/api/v1/datasets", json)).JsonAsync(HttpStatusCode.BadRequest)).AssertProblem(400, "Form upload expected");
        var nothing = new ByteArrayContent([]);
        (await (await api.PostAsync("/api/v1/datasets", nothing)).JsonAsync(HttpStatusCode.BadRequest)).AssertProblem(400, "Form upload expected");
    }

    [Fact]
    public async Task Corrupt_and_foreign_files_are_skipped_and_reported_while_the_rest_imports()
    {
        var zip = TestImages.ClassFolderZip(perClass: 4, extra: z =>
        {
            TestImages.Add(z, "shapes/vertical/truncated.png", TestImages.Png("vertical", 99)[..60]);
            TestImages.Add(z, "shapes/vertical/fake.jpg", "this is text, not a jpeg"u8.ToArray());
            // A GIF header that declares 25120×29813 pixels: refused before anything is decoded.
            TestImages.Add(z, "shapes/vertical/huge.gif", "GIF89a but not really"u8.ToArray());
            TestImages.Add(z, "shapes/notes.txt", "a note"u8.ToArray());
        });

        var dataset = await app.Api().ImportAsync(zip, "partly broken");

        Assert.Equal("ready", dataset.GetProperty("status").GetString());
        Assert.Equal(12, dataset.GetProperty("itemCount").GetInt32());
        var skipped = dataset.GetProperty("quality").GetProperty("skippedDetails").EnumerateArray()
            .ToDictionary(i => i.GetProperty("file").GetString()!, i => i.GetProperty("reason").GetString()!);
        Assert.Equal(4, skipped.Count);
        Assert.Contains("over the limit", skipped["shapes/vertical/huge.gif"]);
        Assert.Contains("corrupt", skipped["shapes/vertical/truncated.png"]);
        Assert.Contains("not a readable image", skipped["shapes/vertical/fake.jpg"]);
        Assert.Contains("not an image", skipped["shapes/notes.txt"]);
    }

    [Fact]
    public async Task Zip_whose_images_are_all_unreadable_fails_with_the_reason_and_keeps_no_items()
    {
        var zip = TestImages.Zip(("cats/1.png", "nope"u8.ToArray()), ("dogs/2.jpg", "nope"u8.ToArray()));

        var dataset = await app.Api().ImportAsync(zip, "all broken");

        Assert.Equal("failed", dataset.GetProperty("status").GetString());
        Assert.Contains("No readable images", dataset.GetProperty("error").GetString());
        Assert.Equal(0, dataset.GetProperty("itemCount").GetInt32());
        var id = Guid.Parse(dataset.GetProperty("id").GetString()!);
        Assert.False(Directory.Exists(Path.Combine(app.DataDir, "artifacts", "datasets", id.ToString("N"))));
        Assert.False(Directory.Exists(Path.Combine(app.DataDir, "artifacts", "datasets", id.ToString("N") + ".staging")));
        AssertNoLeftoverUploads();
    }

    [Fact]
    public async Task Entry_names_that_climb_out_of_the_folder_never_become_paths()
    {
        var zip = TestImages.Zip(
            ("../../escaped/evil.png", TestImages.Png("vertical", 1)),
            ("/absolute/evil.png", TestImages.Png("vertical", 2)),
            ("good/ok.png", TestImages.Png("vertical", 3)),
            ("good/../../also-evil.png", TestImages.Png("vertical", 4)));

        var dataset = await app.Api().ImportAsync(zip, "climbing");

        Assert.Equal("ready", dataset.GetProperty("status").GetString());
        var names = dataset.GetProperty("classes").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToList();
        Assert.DoesNotContain("..", names);
        Assert.False(File.Exists(Path.Combine(app.DataDir, "escaped", "evil.png")));
        Assert.False(Directory.Exists("/absolute"));
        var stored = Directory.EnumerateFiles(app.DataDir, "*", SearchOption.AllDirectories).Where(f => f.EndsWith("evil.png"));
        Assert.Empty(stored);
    }

    [Fact]
    public async Task Symbolic_links_duplicate_names_and_zip_bomb_entries_are_skipped_with_reasons()
    {
        var zip = TestImages.ClassFolderZip(perClass: 3, extra: z =>
        {
            var link = z.CreateEntry("shapes/vertical/link.png");
            link.ExternalAttributes = unchecked((int)(0xA1FFu << 16)); // a Unix symbolic link, pointing anywhere
            using (var target = link.Open()) target.Write("/etc/passwd"u8);
            TestImages.Add(z, "shapes/vertical/vertical-000.png", TestImages.Png("vertical", 7));
            TestImages.Add(z, "shapes/vertical/bomb.png", new byte[8 * 1024 * 1024]);
        });

        var dataset = await app.Api().ImportAsync(zip, "tricks");

        Assert.Equal("ready", dataset.GetProperty("status").GetString());
        Assert.Equal(9, dataset.GetProperty("itemCount").GetInt32());
        var skipped = dataset.GetProperty("quality").GetProperty("skippedDetails").EnumerateArray()
            .Select(i => (File: i.GetProperty("file").GetString()!, Reason: i.GetProperty("reason").GetString()!)).ToList();
        Assert.Contains(skipped, i => i.File == "shapes/vertical/link.png" && i.Reason.Contains("symbolic link"));
        Assert.Contains(skipped, i => i.File == "shapes/vertical/vertical-000.png" && i.Reason.Contains("same name"));
        Assert.Contains(skipped, i => i.File == "shapes/vertical/bomb.png" && i.Reason.Contains("zip bomb"));
    }

    private void AssertNoLeftoverUploads()
    {
        var uploads = Path.Combine(app.DataDir, "artifacts", "uploads");
        var pending = Directory.Exists(uploads) ? Directory.GetFiles(uploads) : [];
        // An upload file exists only while its import job runs; refused ones are deleted at once.
        Assert.All(pending, f => Assert.True(IsBeingImported(f), $"leftover upload {f}"));
    }

    private bool IsBeingImported(string uploadFile)
    {
        var id = Path.GetFileNameWithoutExtension(uploadFile);
        var datasets = app.Api().GetJsonAsync("/api/v1/datasets").GetAwaiter().GetResult();
        return datasets.EnumerateArray().Any(d => Guid.Parse(d.GetProperty("id").GetString()!).ToString("N") == id
                                                 && d.GetProperty("status").GetString() == "importing");
    }
}
