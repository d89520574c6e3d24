using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoMLStudio.Engine.Backbones;

/// <summary>
/// Imports pretrained weights in TorchSharp's format (what TorchSharp's <c>exportsd.py</c> writes from a torchvision
/// state dict; docs/pretrained-backbones.md says how). Every name and shape is checked against the architecture before
/// anything is loaded. The file's head (<c>fc</c> or <c>classifier.1</c>) may have any class count or be absent: it
/// is never loaded, because the model's own head replaces it. <c>num_batches_tracked</c> may be absent too, as in
/// state dicts saved before PyTorch 0.4.1; it only counts batches and stays 0.
/// </summary>
public static partial class BackboneWeights
{
    private const string BatchCounter = ".num_batches_tracked";

    private static readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, ExpectedTensor>> Expected = new();

    /// <summary>
    /// Compares the file at <paramref name="path"/> with <paramref name="architecture"/> without loading it. A file
    /// that does not fit is a report whose <see cref="BackboneWeightsReport.Fits"/> is false, not an exception, so an
    /// upload can show every problem at once.
    /// </summary>
    /// <exception cref="ArgumentException">An unknown architecture.</exception>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="InvalidDataException">The file is truncated or not in TorchSharp's format.</exception>
    public static BackboneWeightsReport Inspect(string architecture, string path)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(path);
        BackboneArchitectures.Validate(architecture);
        return Compare(architecture, path, StateDictFile.ReadIndex(path));
    }

    /// <summary>
    /// Compares the file as <see cref="Inspect"/> does, then copies every tensor but the head's into
    /// <paramref name="model"/> (on whatever device it is). The model's head keeps its fresh initialisation.
    /// </summary>
    /// <returns>The report of a file that fits.</returns>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="InvalidDataException">
    /// The file does not fit the model's architecture (the message is <see cref="BackboneWeightsReport.Message"/>), is
    /// truncated, or is not in TorchSharp's format; nothing was loaded.
    /// </exception>
    public static BackboneWeightsReport Load(BackboneClassifier model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(path);
        var entries = StateDictFile.ReadIndex(path);
        var report = Compare(model.Spec.Architecture, path, entries);
        if (!report.Fits) throw new InvalidDataException(report.Message);

        var state = model.state_dict();
        var head = model.HeadName + ".";
        using var stream = StateDictFile.Open(path);
        using var noGrad = torch.no_grad();
        foreach (var entry in entries.Where(e => !e.Name.StartsWith(head, StringComparison.Ordinal)))
        {
            using var scope = torch.NewDisposeScope();
            // copy_ converts float16/float64 files to the model's float32 and crosses devices.
            state[entry.Name].copy_(StateDictFile.ReadTensor(stream, entry));
        }
        return report;
    }

    private static BackboneWeightsReport Compare(string architecture, string path, IReadOnlyList<StateDictEntry> entries)
    {
        var expected = ExpectedTensors(architecture);
        var found = entries.ToDictionary(e => e.Name, StringComparer.Ordinal);
        var missing = expected.Values
            .Where(t => !found.ContainsKey(t.Name) && !t.IsHead && !t.Name.EndsWith(BatchCounter, StringComparison.Ordinal))
            .Select(t => t.Name).ToList();
        var unexpected = entries.Where(e => !expected.ContainsKey(e.Name)).Select(e => e.Name).ToList();
        var shapes = new List<WeightShapeMismatch>();
        var notFloatingPoint = new List<string>();
        foreach (var entry in entries)
        {
            if (!expected.TryGetValue(entry.Name, out var tensor)) continue;
            var shape = tensor.IsHead ? HeadShape(tensor, found) : tensor.Shape;
            if (!Fits(shape, entry.Shape)) shapes.Add(new WeightShapeMismatch(entry.Name, shape, entry.Shape));
            if (tensor.IsFloatingPoint && !entry.IsFloatingPoint) notFloatingPoint.Add(entry.Name);
        }

        var headWeight = expected.Values.Single(t => t.IsHead && t.Shape.Length == 2).Name;
        int? headClasses = found.TryGetValue(headWeight, out var head) && !shapes.Any(s => s.Name == headWeight) ? (int)head.Shape[0] : null;
        return new BackboneWeightsReport(
            architecture,
            Path.GetFileName(path),
            entries.Count,
            entries.Where(e => expected.TryGetValue(e.Name, out var t) && t.IsParameter).Sum(e => e.ElementCount),
            headClasses,
            missing,
            unexpected,
            shapes,
            notFloatingPoint,
            Hint(architecture, [.. entries.Select(e => e.Name)], unexpected));
    }

    // The head's class count is free, its input width is not; weight and bias must agree on the class count.
    private static long[] HeadShape(ExpectedTensor tensor, Dictionary<string, StateDictEntry> found)
    {
        if (tensor.Shape.Length == 2) return [-1, tensor.Shape[1]];
        var weight = found.GetValueOrDefault(tensor.Name[..^"bias".Length] + "weight");
        return weight is { Shape.Length: 2 } ? [weight.Shape[0]] : [-1];
    }

    private static bool Fits(long[] expected, long[] found) =>
        expected.Length == found.Length && expected.Zip(found).All(d => d.First < 0 ? d.Second > 0 : d.First == d.Second);

    private static string? Hint(string architecture, List<string> names, List<string> unexpected)
    {
        if (unexpected.Count == 0) return null;
        var other = BackboneArchitectures.All.Where(a => a != architecture)
            .FirstOrDefault(a => names.Count(ExpectedTensors(a).ContainsKey) >= 0.9 * names.Count);
        if (other is not null) return $"The names are those of {other}: import the file as {other}.";

        // A wrapper's attribute name in front of every key, such as DataParallel's "module.".
        var prefix = names[0].Split('.')[0];
        var expected = ExpectedTensors(architecture);
        if (names.All(n => n.StartsWith(prefix + ".", StringComparison.Ordinal))
            && names.Count(n => expected.ContainsKey(n[(prefix.Length + 1)..])) >= 0.9 * names.Count)
        {
            var wrapper = prefix == "module" ? ", the prefix torch.nn.DataParallel and DistributedDataParallel add" : "";
            var inner = prefix == "module" ? "model.module.state_dict()" : $"the state_dict of the wrapped model (model.{prefix})";
            return $"Every name starts with '{prefix}.'{wrapper}: export {inner} instead.";
        }

        if (architecture == BackboneArchitectures.ResNet18 && unexpected.Any(DeeperResNetName().IsMatch))
            return "The names are those of a deeper ResNet (resnet34, resnet50 or larger), which the studio does not define: export resnet18.";
        return null;
    }

    [GeneratedRegex(@"^layer\d\.([2-9]|\d\d)\.|\.(conv3|bn3)\.")]
    private static partial Regex DeeperResNetName();

    /// <summary>The architecture's state dict: every tensor's name and shape, from a module built once.</summary>
    private static IReadOnlyDictionary<string, ExpectedTensor> ExpectedTensors(string architecture) => Expected.GetOrAdd(architecture, a =>
    {
        using var model = BackboneFactory.Build(new BackboneSpec(a, 3, 32, BackboneArchitectures.ImageNetClasses));
        var parameters = model.named_parameters().Select(p => p.name).ToHashSet();
        var head = model.HeadName + ".";
        return model.state_dict().ToDictionary(
            kv => kv.Key,
            kv => new ExpectedTensor(kv.Key, kv.Value.shape, parameters.Contains(kv.Key), kv.Value.is_floating_point(), kv.Key.StartsWith(head, StringComparison.Ordinal)),
            StringComparer.Ordinal);
    });

    private sealed record ExpectedTensor(string Name, long[] Shape, bool IsParameter, bool IsFloatingPoint, bool IsHead);
}
