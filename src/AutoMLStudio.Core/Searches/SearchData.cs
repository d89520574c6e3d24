using System.Collections.Concurrent;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Storage;
using AutoMLStudio.Engine.Data;
using Microsoft.EntityFrameworkCore;

namespace AutoMLStudio.Core.Searches;

/// <summary>A search's decoded images with their split, as the trials read them.</summary>
/// <param name="TestItemIds">The dataset item of each test image, in <paramref name="Test"/>'s order; null for data prepared before
/// item ids were stored, whose test predictions cannot be traced back to items.</param>
public sealed record SearchData(ImageTensorData Train, ImageTensorData Validation, ImageTensorData Test, IReadOnlyList<string> Classes,
    IReadOnlyList<Guid>? TestItemIds = null);

/// <summary>
/// Decodes a search's labeled images once, at the search's input size, into one file beside the search (labels,
/// split and pixels, then each image's item id), so every trial and every restart trains on exactly the same data.
/// The ids come last so that files written before them still read.
/// </summary>
public sealed class SearchDataStore(IArtifactStore store)
{
    private const int Magic = 0x444D4153; // "SAMD"
    private readonly ConcurrentDictionary<Guid, Lazy<SearchData>> _cache = new();

    private sealed record Row(Guid Id, string StoragePath, string Label, int Width, int Height, int Channels, int? Split);

    public sealed record Prepared(IReadOnlyList<string> Classes, int InputSize, int Channels, InputStats Stats);

    /// <param name="fixedInput">The input a starting model was trained at: the images are decoded at its size and channels instead of the ones chosen from the data.</param>
    public async Task<Prepared> PrepareAsync(StudioDbContext db, Search search, CancellationToken ct, (int Size, int Channels)? fixedInput = null)
    {
        // A search reads its frozen version (labels and split); searches from before versions re-split current labels.
        var items = search.DatasetVersionId is { } versionId
            ? await (from v in db.DatasetVersionItems
                     where v.VersionId == versionId
                     join i in db.DatasetItems on v.ItemId equals i.Id
                     where i.StoragePath != null
                     orderby i.OriginalName, i.Id
                     select new Row(i.Id, i.StoragePath!, v.Label, i.Width, i.Height, i.Channels, (int?)v.Split)).AsNoTracking().ToListAsync(ct)
            : await db.DatasetItems.AsNoTracking()
                .Where(i => i.DatasetId == search.DatasetId && i.Label != null && i.StoragePath != null)
                .OrderBy(i => i.OriginalName).ThenBy(i => i.Id)
                .Select(i => new Row(i.Id, i.StoragePath!, i.Label!, i.Width, i.Height, i.Channels, null))
                .ToListAsync(ct);

        var classes = items.Select(i => i.Label).Distinct().Order(StringComparer.Ordinal).ToList();
        var classIndex = classes.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i, StringComparer.Ordinal);
        var (size, channels) = fixedInput ?? (ImageDecoder.ChooseInputSize(items.Select(i => (i.Width, i.Height))), items.Any(i => i.Channels >= 3) ? 3 : 1);
        var labels = items.Select(i => classIndex[i.Label]).ToArray();
        var split = search.DatasetVersionId is null ? StratifiedSplit.Assign(labels, search.Seed) : items.Select(i => i.Split!.Value).ToArray();

        var pixelsPerItem = channels * size * size;
        var pixels = new float[items.Count * pixelsPerItem];
        for (var n = 0; n < items.Count; n++)
        {
            ct.ThrowIfCancellationRequested();
            var bytes = await File.ReadAllBytesAsync(store.FullPath(items[n].StoragePath), ct);
            ImageDecoder.DecodeToChw(bytes, channels, size).CopyTo(pixels, n * pixelsPerItem);
        }

        var stats = ComputeStats(pixels, split, channels, size * size);
        await AtomicFile.WriteAsync(store.FullPath(ArtifactPaths.SearchData(search.Id)), stream =>
        {
            using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            writer.Write(Magic);
            writer.Write(items.Count);
            writer.Write(channels);
            writer.Write(size);
            foreach (var label in labels) writer.Write(label);
            foreach (var part in split) writer.Write((byte)part);
            writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(pixels.AsSpan()));
            foreach (var item in items) writer.Write(item.Id.ToByteArray());
            return Task.CompletedTask;
        }, ct);
        return new Prepared(classes, size, channels, stats);
    }

    public SearchData Load(Guid searchId, IReadOnlyList<string> classes)
    {
        // Keep only the newest search in memory: trials of one search follow each other, and images are large.
        var lazy = _cache.GetOrAdd(searchId, id => new Lazy<SearchData>(() => Read(id, classes)));
        foreach (var other in _cache.Keys.Where(k => k != searchId)) _cache.TryRemove(other, out _);
        return lazy.Value;
    }

    private SearchData Read(Guid searchId, IReadOnlyList<string> classes)
    {
        using var reader = new BinaryReader(File.OpenRead(store.FullPath(ArtifactPaths.SearchData(searchId))));
        if (reader.ReadInt32() != Magic) throw new InvalidDataException($"The prepared data of search {searchId} is damaged.");
        var count = reader.ReadInt32();
        var channels = reader.ReadInt32();
        var size = reader.ReadInt32();
        var labels = new int[count];
        for (var n = 0; n < count; n++) labels[n] = reader.ReadInt32();
        var split = reader.ReadBytes(count);
        var pixels = new float[count * channels * size * size];
        reader.BaseStream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(pixels.AsSpan()));
        var ids = reader.BaseStream.Length - reader.BaseStream.Position >= count * 16L
            ? Enumerable.Range(0, count).Select(_ => new Guid(reader.ReadBytes(16))).ToArray()
            : null;

        var all = new ImageTensorData(pixels, labels, channels, size);
        List<int> Indices(int p) => Enumerable.Range(0, count).Where(n => split[n] == p).ToList();
        return new SearchData(all.Subset(Indices(0)), all.Subset(Indices(1)), all.Subset(Indices(2)), classes,
            ids is null ? null : [.. Indices(2).Select(n => ids[n])]);
    }

    private static InputStats ComputeStats(float[] pixels, int[] split, int channels, int area)
    {
        var mean = new float[channels];
        var std = new float[channels];
        for (var c = 0; c < channels; c++)
        {
            double sum = 0, squares = 0;
            long n = 0;
            for (var item = 0; item < split.Length; item++)
            {
                if (split[item] != 0) continue;
                var offset = (item * channels + c) * area;
                for (var p = 0; p < area; p++)
                {
                    double v = pixels[offset + p];
                    sum += v;
                    squares += v * v;
                }
                n += area;
            }
            var m = n == 0 ? 0.5 : sum / n;
            var variance = n == 0 ? 0.0625 : Math.Max(squares / n - m * m, 1e-6);
            mean[c] = (float)m;
            std[c] = (float)Math.Sqrt(variance);
        }
        return new InputStats(mean, std);
    }
}
