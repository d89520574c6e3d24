namespace AutoMLStudio.Bench;

/// <summary>The command line after the command name: <c>--name value</c> pairs and bare <c>--flags</c>.</summary>
public sealed class BenchOptions(string[] args)
{
    public const string DebianFashionMnist = "/usr/share/datasets/fashion-mnist";
    public const string DebianSklearnData = "/usr/lib/python3/dist-packages/sklearn/datasets/data";

    /// <summary>Images to generate for the import benchmark.</summary>
    public int Generated => Int("--generated", 20_000);

    /// <summary>The folder of Fashion-MNIST's idx files, or null where it is not there.</summary>
    public string? FashionMnist
    {
        get
        {
            var folder = Value("--fashion-mnist") ?? DebianFashionMnist;
            return Directory.Exists(folder) ? folder : null;
        }
    }

    /// <summary>scikit-learn's bundled tables (sklearn/datasets/data of Debian's python3-sklearn, installed or extracted from its .deb).</summary>
    public string Sklearn => Value("--sklearn") ?? DebianSklearnData;

    public string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

    public int Int(string name, int fallback) => Value(name) is { } text ? int.Parse(text) : fallback;

    public double Double(string name, double fallback) =>
        Value(name) is { } text ? double.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : fallback;

    public bool Flag(string name) => args.Contains(name);
}
