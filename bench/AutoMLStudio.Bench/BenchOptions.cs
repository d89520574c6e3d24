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

    /// <summary>
    /// A repeatable option with the options that qualify it: each <paramref name="leader"/> starts a group holding its
    /// value and the values of the <paramref name="members"/> that follow it before the next leader
    /// (<c>--csv a.csv --target y --csv b.csv --target z --task regression</c>).
    /// </summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> Groups(string leader, params string[] members)
    {
        var groups = new List<Dictionary<string, string>>();
        for (var i = 0; i + 1 < args.Length; i++)
        {
            if (args[i] == leader) groups.Add(new Dictionary<string, string> { [leader] = args[++i] });
            else if (members.Contains(args[i]))
            {
                if (groups.Count == 0) throw new ArgumentException($"{args[i]} qualifies a {leader}: give it after the {leader} it belongs to.");
                groups[^1][args[i]] = args[++i];
            }
        }
        return groups;
    }
}
