using System.Text.Json;
using AutoMLStudio.Core;
using AutoMLStudio.Core.Hosting;
using AutoMLStudio.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;

namespace AutoMLStudio.Web.Components.Pages.Endpoints;

public partial class TryItPanel
{
    public const int MaxImages = 10;
    public const long MaxImageBytes = 10L * 1024 * 1024;
    private const int ThumbnailSide = 160;

    /// <summary>A chosen image: its thumbnail as a data URL, and its prediction or why it has none.</summary>
    private sealed class TriedImage(string name, byte[] bytes)
    {
        public string Name { get; } = name;
        public byte[] Bytes { get; } = bytes;
        public string? Thumbnail { get; set; }
        public Prediction? Prediction { get; set; }
        public string? Problem { get; set; }
    }

    private List<TriedImage> _images = [];
    private readonly Dictionary<string, string?> _row = [];
    private string? _text;
    private Prediction? _prediction;
    private readonly BusyAction _predict = new();
    private string? _runningWhat;
    private List<string> _notes = [];

    [Parameter, EditorRequired] public EndpointSummary Summary { get; set; } = default!;
    /// <summary>After a prediction was made, so the page's other tabs can show it counted.</summary>
    [Parameter] public EventCallback OnPredicted { get; set; }
    [Inject] private EndpointTryOut TryOut { get; set; } = default!;

    private string TryHint => Summary.Input switch
    {
        EndpointInput.Images => "choose or drop a few images and see the classes it gives each, likeliest first.",
        EndpointInput.Rows => Summary.IsRegression
            ? "fill in a row's values and see the number it estimates."
            : "fill in a row's values and see the classes it gives it, likeliest first.",
        _ => "type a text and see the classes it gives it, likeliest first.",
    };

    private async Task OnImagesChosenAsync(IReadOnlyList<IBrowserFile>? files)
    {
        if (files is not { Count: > 0 }) return;
        _notes = [];
        _prediction = null;
        if (files.Count > MaxImages) _notes.Add($"You chose {files.Count} images; the first {MaxImages} are tried.");
        var tooLarge = files.Take(MaxImages).Where(f => f.Size > MaxImageBytes).Select(f => f.Name).ToList();
        if (tooLarge.Count > 0)
            _notes.Add($"Left out for being over {Formats.Bytes(MaxImageBytes)}: {Formats.List(tooLarge)}.");

        await PredictAsync("Reading the images…", async () =>
        {
            var images = new List<TriedImage>();
            foreach (var file in files.Take(MaxImages).Where(f => f.Size <= MaxImageBytes))
            {
                using var buffer = new MemoryStream((int)file.Size);
                await using (var stream = file.OpenReadStream(MaxImageBytes)) await stream.CopyToAsync(buffer);
                images.Add(new TriedImage(file.Name, buffer.ToArray()));
            }
            _images = images;
            await Task.Run(() => MakeThumbnails(images));
            var readable = images.Where(i => i.Problem is null).ToList();
            if (readable.Count == 0) return;
            _runningWhat = $"Predicting {readable.Count} image{(readable.Count == 1 ? "" : "s")}…";
            StateHasChanged();
            var predictions = await TryOut.ImagesAsync(Summary.Endpoint.Id, [.. readable.Select(i => new TryImage(i.Name, i.Bytes))], CancellationToken.None);
            for (var i = 0; i < readable.Count; i++) readable[i].Prediction = predictions[i];
        });
    }

    // An unreadable or oversized file gets its own message and the rest are still predicted: one stray PDF should not hide
    // nine answers. The thumbnail goes through the predict route's checks, so a small file declaring a huge bitmap is
    // refused here before anything is decoded, in the words the REST route would use.
    private static void MakeThumbnails(IEnumerable<TriedImage> images)
    {
        foreach (var image in images)
        {
            try
            {
                image.Thumbnail = "data:image/png;base64," + Convert.ToBase64String(PredictionImages.Thumbnail(image.Bytes, image.Name, ThumbnailSide));
            }
            catch (UserInputException e)
            {
                image.Problem = e.Detail;
            }
        }
    }

    private Task PredictRowAsync()
    {
        // Every cell as text, as a CSV would give it; an empty one is unknown.
        var row = Summary.Fields.ToDictionary(f => f, f => string.IsNullOrWhiteSpace(_row.GetValueOrDefault(f)) ? null : _row[f]!.Trim());
        return PredictInstanceAsync(JsonSerializer.Serialize(row));
    }

    private Task PredictTextAsync() => PredictInstanceAsync(JsonSerializer.Serialize(new { text = _text ?? "" }));

    private Task PredictInstanceAsync(string instance)
    {
        _notes = [];
        _prediction = null;
        return PredictAsync("Predicting…", async () =>
            _prediction = (await TryOut.InstancesAsync(Summary.Endpoint.Id, [instance], CancellationToken.None))[0]);
    }

    private Task PredictAsync(string what, Func<Task> action)
    {
        _runningWhat = what;
        return RunAsync(_predict, async () =>
        {
            await action();
            await OnPredicted.InvokeAsync();
        });
    }
}
