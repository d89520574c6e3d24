using System.Net;
using System.Net.Http.Json;
using System.Text;
using AutoMLStudio.Core.Identity;

namespace AutoMLStudio.Web.Tests;

/// <summary>Every import format arrives as the right kind of dataset with the right classes and counts.</summary>
[Collection(StudioCollection.Name)]
public sealed class ImportFormatTests(StudioApp app)
{
    [Fact]
    public async Task Zip_of_loose_images_becomes_an_unlabeled_image_dataset()
    {
        var zip = TestImages.Zip(("a.png", TestImages.Png("vertical", 1)), ("b.png", TestImages.Png("horizontal", 2)), ("c.png", TestImages.Png("checker", 3)));

        var dataset = await app.Api().ImportAsync(zip, "loose zip");

        Assert.Equal("ready", dataset.GetProperty("status").GetString());
        Assert.Equal("image", dataset.GetProperty("kind").GetString());
        Assert.Equal("loose-images", dataset.GetProperty("source").GetString());
        Assert.Equal(3, dataset.GetProperty("itemCount").GetInt32());
        Assert.Equal(0, dataset.GetProperty("labeledCount").GetInt32());
        Assert.Empty(dataset.Classes());
    }

    [Fact]
    public async Task Several_image_files_in_one_request_go_to_the_unlabeled_pool()
    {
        var api = app.Api();
        var files = Enumerable.Range(0, 4).Select(i => (TestImages.Png("vertical", i), "same.png")).ToList();

        var dataset = await api.WaitForImportAsync(await api.UploadFilesAsync(files, "multi-file"));

        Assert.Equal("ready", dataset.GetProperty("status").GetString());
        Assert.Equal(4, dataset.GetProperty("itemCount").GetInt32());
        Assert.Equal(0, dataset.GetProperty("labeledCount").GetInt32());
        var items = await api.GetJsonAsync($"/api/v1/datasets/{dataset.GetProperty("id").GetString()}/items?unlabeled=true");
        Assert.Equal(4, items.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Several_files_that_are_not_all_images_are_refused()
    {
        var response = await app.Api().UploadFilesAsync([(TestImages.Png("vertical", 1), "a.png"), ("x,y\n1,2"u8.ToArray(), "t.csv")]);

        (await response.JsonAsync(HttpStatusCode.BadRequest)).AssertProblem(400, "Not all files are images");
    }

    [Fact]
    public async Task Zip_with_a_labels_csv_labels_named_images_reports_missing_files_and_keeps_the_rest_unlabeled()
    {
        var csv = "path,label\nimg/a.png,cat\n./img/b.png,dog\nimg/gone.png,cat\n";
        var zip = TestImages.Zip(("labels.csv", Encoding.UTF8.GetBytes(csv)), ("img/a.png", TestImages.Png("vertical", 1)),
            ("img/b.png", TestImages.Png("horizontal", 2)), ("img/c.png", TestImages.Png("checker", 3)));

        var dataset = await app.Api().ImportAsync(zip, "labels csv");

        Assert.Equal("ready", dataset.GetProperty("status").GetString());
        Assert.Equal("labels-csv", dataset.GetProperty("source").GetString());
        Assert.Equal(3, dataset.GetProperty("itemCount").GetInt32());
        Assert.Equal(2, dataset.GetProperty("labeledCount").GetInt32());
        Assert.Equal(new Dictionary<string, int> { ["cat"] = 1, ["dog"] = 1 }, dataset.Classes());
        var missing = Assert.Single(dataset.Skipped());
        Assert.Contains("labels.csv line 4", missing.File);
        Assert.Contains("img/gone.png", missing.Reason);
    }

    [Fact]
    public async Task Zip_with_a_csv_lacking_path_and_label_columns_is_refused_naming_its_columns()
    {
        var zip = TestImages.Zip(("labels.csv", "picture,kind\na.png,cat\n"u8.ToArray()), ("a.png", TestImages.Png("vertical", 1)));

        var problem = await (await app.Api().UploadAsync(zip)).JsonAsync(HttpStatusCode.BadRequest);

        problem.AssertProblem(400, "path and label");
        Assert.Contains("picture, kind", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Text_csv_with_a_text_and_a_label_column_becomes_a_text_dataset()
    {
        var csv = "id,review,sentiment\n1,\"Great, loved it\",pos\n2,Awful,neg\n3,Fine I guess,pos\n4,,neg\n";

        var dataset = await app.Api().ImportFileAsync(Encoding.UTF8.GetBytes(csv), "reviews.csv", "reviews",
            new Dictionary<string, string> { ["textColumn"] = "review", ["labelColumn"] = "sentiment" });

        Assert.Equal("ready", dataset.GetProperty("status").GetString());
        Assert.Equal("text", dataset.GetProperty("kind").GetString());
        Assert.Equal("review", dataset.GetProperty("textColumn").GetString());
        Assert.Equal(3, dataset.GetProperty("itemCount").GetInt32());
        Assert.Equal(new Dictionary<string, int> { ["neg"] = 1, ["pos"] = 2 }, dataset.Classes());
        Assert.Contains(dataset.Skipped(), s => s.File.Contains("row 4") && s.Reason.Contains("empty"));
    }

    [Fact]
    public async Task Zip_of_class_folders_of_text_files_becomes_a_text_dataset()
    {
        var zip = TestImages.Zip(("reviews/pos/1.txt", "Lovely"u8.ToArray()), ("reviews/pos/2.txt", "Superb"u8.ToArray()),
            ("reviews/neg/1.txt", "\uFEFFDreadful"u8.ToArray()), ("reviews/neg/empty.txt", []));

        var dataset = await app.Api().ImportAsync(zip, "text folders");

        Assert.Equal("ready", dataset.GetProperty("status").GetString());
        Assert.Equal("text", dataset.GetProperty("kind").GetString());
        Assert.Equal("text-folders", dataset.GetProperty("source").GetString());
        Assert.Equal(new Dictionary<string, int> { ["neg"] = 1, ["pos"] = 2 }, dataset.Classes());
        Assert.Contains(dataset.Skipped(), s => s.File == "reviews/neg/empty.txt");
    }

    [Fact]
    public async Task Admin_imports_a_server_folder_inside_the_allowed_root()
    {
        var folder = ServerFolder("animals-" + Guid.NewGuid().ToString("N")[..6]);
        File.WriteAllBytes(Path.Combine(folder, "loose.png"), TestImages.Png("checker", 9));

        var api = app.Api();
        var dataset = await api.WaitForImportAsync(await api.PostAsJsonAsync("/api/v1/datasets/from-folder", new { name = "from server", path = folder }));

        Assert.Equal("ready", dataset.GetProperty("status").GetString());
        Assert.Equal("server-folder", dataset.GetProperty("source").GetString());
        Assert.Equal(5, dataset.GetProperty("itemCount").GetInt32());
        Assert.Equal(new Dictionary<string, int> { ["horizontal"] = 2, ["vertical"] = 2 }, dataset.Classes());
        Assert.True(File.Exists(Path.Combine(folder, "loose.png")), "the server's files are read, never moved");
    }

    [Fact]
    public async Task Server_folder_outside_the_root_through_dotdot_or_through_a_link_is_refused()
    {
        var outside = Path.Combine(app.DataDir, "outside-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(Path.Combine(outside, "cats"));
        File.WriteAllBytes(Path.Combine(outside, "cats", "1.png"), TestImages.Png("vertical", 1));
        Directory.CreateDirectory(app.ServerFolderRoot);
        var link = Path.Combine(app.ServerFolderRoot, "link-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateSymbolicLink(link, outside);
        var api = app.Api();

        foreach (var path in new[] { outside, Path.Combine(app.ServerFolderRoot, "..", Path.GetFileName(outside)), link, "relative/path" })
        {
            var response = await api.PostAsJsonAsync("/api/v1/datasets/from-folder", new { name = "escape", path });
            var problem = await response.JsonAsync(HttpStatusCode.BadRequest);
            Assert.Contains(problem.GetProperty("title").GetString(), new[] { "Folder not allowed", "Absolute path needed" });
        }
        var datasets = await api.GetJsonAsync("/api/v1/datasets");
        Assert.DoesNotContain(datasets.EnumerateArray(), d => d.GetProperty("name").GetString() == "escape");
    }

    [Fact]
    public async Task Server_folder_import_is_for_admins_only()
    {
        var editor = app.Api((await app.CreateUserAsync(StudioRoles.Expert)).Key);

        var response = await editor.PostAsJsonAsync("/api/v1/datasets/from-folder", new { name = "x", path = ServerFolder("editor-try") });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private string ServerFolder(string name)
    {
        var folder = Path.Combine(app.ServerFolderRoot, name);
        foreach (var label in new[] { "horizontal", "vertical" })
        {
            Directory.CreateDirectory(Path.Combine(folder, label));
            for (var i = 0; i < 2; i++) File.WriteAllBytes(Path.Combine(folder, label, $"{i}.png"), TestImages.Png(label, i));
        }
        return folder;
    }
}
