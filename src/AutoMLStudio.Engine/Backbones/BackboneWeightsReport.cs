namespace AutoMLStudio.Engine.Backbones;

/// <summary>A tensor whose shape in a weights file differs from the one the architecture needs.</summary>
/// <param name="Name">The state-dict name.</param>
/// <param name="Expected">The shape the architecture needs; -1 stands for any size (a head's class count).</param>
/// <param name="Found">The shape in the file.</param>
public sealed record WeightShapeMismatch(string Name, IReadOnlyList<long> Expected, IReadOnlyList<long> Found)
{
    /// <summary>"conv1.weight is [64, 1, 7, 7] in the file, not [64, 3, 7, 7]".</summary>
    public override string ToString() => $"{Name} is {Format(Found)} in the file, not {Format(Expected)}";

    private static string Format(IEnumerable<long> shape) => $"[{string.Join(", ", shape.Select(d => d < 0 ? "any" : d.ToString()))}]";
}

/// <summary>
/// A well-formed weights file compared with an architecture: what it holds and, when it does not fit, every tensor
/// missing, unexpected, of another shape or stored as integers where the architecture has floating-point numbers.
/// </summary>
/// <param name="Architecture">The architecture the file was compared with.</param>
/// <param name="FileName">The file's name, without its folder.</param>
/// <param name="Tensors">Tensors in the file (parameters and batch-norm statistics).</param>
/// <param name="Parameters">Learned values in the file's tensors that the architecture has as parameters, the head's included.</param>
/// <param name="HeadClasses">The class count of the file's head (1000 for ImageNet's); null when it has none or it does not fit.</param>
/// <param name="Missing">Tensors the architecture needs that the file lacks.</param>
/// <param name="Unexpected">Tensors in the file that the architecture does not have.</param>
/// <param name="ShapeMismatches">Tensors present in both with different shapes.</param>
/// <param name="NotFloatingPoint">Weights, biases or statistics that the file stores as integers or booleans.</param>
/// <param name="Hint">What the file probably is instead, where its names tell (another architecture, a wrapper's prefix); null otherwise.</param>
public sealed record BackboneWeightsReport(
    string Architecture,
    string FileName,
    int Tensors,
    long Parameters,
    int? HeadClasses,
    IReadOnlyList<string> Missing,
    IReadOnlyList<string> Unexpected,
    IReadOnlyList<WeightShapeMismatch> ShapeMismatches,
    IReadOnlyList<string> NotFloatingPoint,
    string? Hint)
{
    private const int Listed = 5;

    /// <summary>Whether the file can be loaded into the architecture.</summary>
    public bool Fits => Missing.Count == 0 && Unexpected.Count == 0 && ShapeMismatches.Count == 0 && NotFloatingPoint.Count == 0;

    /// <summary>
    /// One paragraph for the person who supplied the file: what it holds, or the first few problems of each kind with
    /// their counts, the hint, and how to export a file that fits.
    /// </summary>
    public string Message => Fits ? Summary() : Problems();

    private string Summary() =>
        $"'{FileName}' fits {Architecture}: {Tensors} tensors, {Parameters:N0} parameters"
        + (HeadClasses is { } classes ? $", a {classes}-class head that each model replaces with its own." : "; no head (each model adds its own).");

    private string Problems()
    {
        var problems = new List<string>();
        if (Missing.Count > 0) problems.Add($"{Count(Missing.Count)} missing: {First(Missing)}");
        if (Unexpected.Count > 0) problems.Add($"{Count(Unexpected.Count)} that {Architecture} does not have: {First(Unexpected)}");
        if (ShapeMismatches.Count > 0) problems.Add($"{Count(ShapeMismatches.Count)} of another shape: {First(ShapeMismatches.Select(s => s.ToString()).ToList())}");
        if (NotFloatingPoint.Count > 0) problems.Add($"{Count(NotFloatingPoint.Count)} stored as integers instead of floating-point numbers: {First(NotFloatingPoint)}");
        return $"'{FileName}' does not fit {Architecture}. It has {string.Join("; ", problems)}.{(Hint is null ? "" : " " + Hint)} "
               + $"Export the state_dict of torchvision.models.{Architecture} with exportsd.save_state_dict; see docs/pretrained-backbones.md.";
    }

    private static string Count(int count) => $"{count} tensor{(count == 1 ? "" : "s")}";

    private static string First(IReadOnlyList<string> items) =>
        string.Join(", ", items.Take(Listed)) + (items.Count > Listed ? $" and {items.Count - Listed} more" : "");
}
