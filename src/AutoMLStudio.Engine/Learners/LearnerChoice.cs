using System.Text.Json;
using AutoMLStudio.Engine.Analysis;
using AutoMLStudio.Engine.Search;

namespace AutoMLStudio.Engine.Learners;

/// <summary>
/// Several learners as one flat search space: a categorical <c>learner</c> dimension, then every learner's own dimensions
/// prefixed with its name (<c>mlp.hiddenWidth</c>), so random search, TPE, evolution and ASHA's sampler choose the learner
/// as they choose any setting. A point decodes through the learner it names and ignores the other learners' dimensions;
/// encoding fills those with the learner's first starting point (or the middle of their range), so every stored trial
/// has one point. A configuration carries its learner's name as a top-level <c>learner</c> member, which the learners'
/// own records ignore; a configuration stored before there was a choice has none and is the task's old learner.
/// </summary>
public sealed class LearnerChoice
{
    /// <summary>The name of the dimension that picks the learner, and of the configuration's member that names it.</summary>
    public const string Dimension = "learner";

    /// <summary>
    /// Cheapest learners first (FLAML's cost-frugal order): boosted trees and linear models train in seconds and are strong
    /// on tables, a forest next, the network last; learners not listed follow in the catalog's order.
    /// </summary>
    public static IReadOnlyList<string> CostOrder { get; } = ["lightgbm", "linear", "forest", "mlp", "tfidf_linear", "text"];

    private readonly DataProfile _profile;
    private readonly Dictionary<string, ILearner> _byName;
    private readonly Dictionary<string, IReadOnlyList<ParameterDimension>> _dimensions;
    private readonly Dictionary<string, ParameterSet> _fill;

    /// <summary>A choice among <paramref name="learners"/> (ordered by <see cref="CostOrder"/>) for data of <paramref name="profile"/>.</summary>
    /// <exception cref="ArgumentException">There is no learner, or a name repeats.</exception>
    public LearnerChoice(IEnumerable<ILearner> learners, DataProfile profile)
    {
        ArgumentNullException.ThrowIfNull(learners);
        _profile = profile ?? throw new ArgumentNullException(nameof(profile));
        Learners = [.. learners.Select((l, i) => (Learner: l, Index: i)).OrderBy(p => Rank(p.Learner.Name)).ThenBy(p => p.Index).Select(p => p.Learner)];
        if (Learners.Count == 0) throw new ArgumentException("No learner trains on this data.", nameof(learners));
        _byName = Learners.ToDictionary(l => l.Name, StringComparer.Ordinal);
        _dimensions = Learners.ToDictionary(l => l.Name, l => (IReadOnlyList<ParameterDimension>)l.Space(profile).Dimensions, StringComparer.Ordinal);
        _fill = Learners.ToDictionary(l => l.Name, l => Fill(l, _dimensions[l.Name], profile), StringComparer.Ordinal);
        Space = new ParameterSpace(Learners.SelectMany(l => _dimensions[l.Name].Select(d => Renamed(d, Prefixed(l.Name, d.Name))))
            .Prepend(ParameterDimension.Categorical(Dimension, [.. Learners.Select(l => l.Name)])));
        StartingPoints = RoundRobin();
    }

    /// <summary>Every learner of <see cref="LearnerCatalog.All"/> that serves <paramref name="profile"/>.</summary>
    public static LearnerChoice For(DataProfile profile) => new(LearnerCatalog.All.Where(l => l.Serves(profile)), profile);

    /// <summary>The learners to choose from, cheapest first.</summary>
    public IReadOnlyList<ILearner> Learners { get; }

    /// <summary>The flat space: <c>learner</c>, then each learner's dimensions as <c>name.dimension</c>.</summary>
    public ParameterSpace Space { get; }

    /// <summary>
    /// Points the search tries first: each learner's <see cref="ILearner.StartingPoints"/>, round-robin across the learners
    /// in <see cref="Learners"/> order (every learner's first point, then every learner's second, ...).
    /// </summary>
    public IReadOnlyList<ParameterSet> StartingPoints { get; }

    /// <summary>The candidate at <paramref name="point"/>: its learner's, with <c>"learner"</c> first in its configuration.</summary>
    /// <exception cref="ArgumentException">The point names a learner that is not a choice here.</exception>
    public LearnerCandidate Decode(ParameterSet point)
    {
        ArgumentNullException.ThrowIfNull(point);
        var learner = Learner(point.GetString(Dimension));
        var own = new ParameterSet(_dimensions[learner.Name].Select(d => new KeyValuePair<string, object>(d.Name, point[Prefixed(learner.Name, d.Name)])));
        var candidate = learner.Decode(own, _profile);
        return candidate with { ConfigJson = Named(candidate.ConfigJson, learner.Name) };
    }

    /// <summary>The point of <see cref="Space"/> a stored configuration came from; one without a <c>learner</c> member is <paramref name="fallbackLearner"/>'s.</summary>
    /// <exception cref="ArgumentException">The configuration's learner is not a choice here.</exception>
    public ParameterSet Encode(string configJson, string fallbackLearner)
    {
        var learner = Learner(LearnerOf(configJson, fallbackLearner));
        return Point(learner.Name, learner.Encode(configJson));
    }

    /// <summary>The name in the configuration's top-level <c>learner</c> member; <paramref name="fallbackLearner"/> when it has none (stored before the choice).</summary>
    /// <exception cref="JsonException">The text is not JSON.</exception>
    public static string LearnerOf(string configJson, string fallbackLearner)
    {
        ArgumentNullException.ThrowIfNull(configJson);
        using var document = JsonDocument.Parse(configJson);
        return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(Dimension, out var name)
            && name.ValueKind == JsonValueKind.String && name.GetString() is { Length: > 0 } learner ? learner : fallbackLearner;
    }

    /// <summary><paramref name="configJson"/> (a JSON object) with <c>"learner": <paramref name="learner"/></c> as its first member, replacing any there was.</summary>
    /// <exception cref="JsonException">The text is not a JSON object.</exception>
    public static string Named(string configJson, string learner)
    {
        ArgumentNullException.ThrowIfNull(configJson);
        ArgumentException.ThrowIfNullOrWhiteSpace(learner);
        using var document = JsonDocument.Parse(configJson);
        if (document.RootElement.ValueKind != JsonValueKind.Object) throw new JsonException("A configuration is a JSON object.");
        var name = JsonSerializer.Serialize(learner);
        if (!document.RootElement.TryGetProperty(Dimension, out _))
        {
            // Text insertion keeps the learner's own JSON byte for byte, so a decoded candidate reads back exactly.
            var body = configJson.Trim()[1..].TrimStart();
            return body.StartsWith('}') ? $"{{\"{Dimension}\":{name}}}" : $"{{\"{Dimension}\":{name},{body}";
        }
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString(Dimension, learner);
            foreach (var member in document.RootElement.EnumerateObject().Where(m => m.Name != Dimension)) member.WriteTo(writer);
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>
    /// Whether <paramref name="dimension"/> of a choice space means anything at <paramref name="point"/>: the <c>learner</c>
    /// dimension and the chosen learner's own do; the other learners' are filled in and say nothing. Every dimension of a
    /// space without a learner choice does.
    /// </summary>
    public static bool IsActive(string dimension, ParameterSet point)
    {
        ArgumentNullException.ThrowIfNull(dimension);
        ArgumentNullException.ThrowIfNull(point);
        if (dimension == Dimension || !point.TryGetValue(Dimension, out var chosen) || chosen is not string learner) return true;
        return !dimension.Contains('.', StringComparison.Ordinal) || dimension.StartsWith(learner + ".", StringComparison.Ordinal);
    }

    /// <summary>
    /// What an importance estimate over a choice space should read: a learner's settings only mean something on its own
    /// trials, and another learner's filled-in values would pass for evidence. So it reads the trials of the learner tried
    /// most (on a tie, the cheaper one) over that learner's own dimensions. A space without a choice is read as it is.
    /// </summary>
    public static (ParameterSpace Space, IReadOnlyList<ScoredPoint> Trials) ImportanceFocus(ParameterSpace space, IEnumerable<ScoredPoint> trials)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(trials);
        var usable = trials.Where(t => space.Contains(t.Parameters)).ToList();
        if (space.Dimensions.FirstOrDefault(d => d.Name == Dimension) is not CategoricalDimension choice) return (space, usable);
        var learner = usable.GroupBy(t => t.Parameters.GetString(Dimension))
            .OrderByDescending(g => g.Count()).ThenBy(g => choice.IndexOf(g.Key)).Select(g => g.Key).FirstOrDefault() ?? choice.Choices[0];
        var own = space.Dimensions.Where(d => d.Name.StartsWith(learner + ".", StringComparison.Ordinal)).ToList();
        if (own.Count == 0) return (new ParameterSpace(choice), [.. usable.Select(t => Project(t, [choice]))]);
        return (new ParameterSpace(own), [.. usable.Where(t => t.Parameters.GetString(Dimension) == learner).Select(t => Project(t, own))]);
    }

    private static ScoredPoint Project(ScoredPoint trial, IReadOnlyList<ParameterDimension> dimensions) =>
        new(new ParameterSet(dimensions.Select(d => new KeyValuePair<string, object>(d.Name, trial.Parameters[d.Name]))), trial.Metric);

    private ILearner Learner(string name) =>
        _byName.GetValueOrDefault(name) ?? throw new ArgumentException(
            $"The '{name}' learner is not one this search chooses from ({string.Join(", ", _byName.Keys)}).", nameof(name));

    private ParameterSet Point(string learner, ParameterSet own) =>
        new(Learners.SelectMany(l => _dimensions[l.Name].Select(d =>
                new KeyValuePair<string, object>(Prefixed(l.Name, d.Name), (l.Name == learner ? own : _fill[l.Name])[d.Name])))
            .Prepend(new KeyValuePair<string, object>(Dimension, learner)));

    private List<ParameterSet> RoundRobin()
    {
        var starts = Learners.Select(l => l.StartingPoints(_profile)).ToList();
        var points = new List<ParameterSet>();
        for (var round = 0; round < starts.Max(s => s.Count); round++)
        {
            for (var i = 0; i < Learners.Count; i++)
                if (round < starts[i].Count) points.Add(Point(Learners[i].Name, starts[i][round]));
        }
        return points;
    }

    // The first starting point where the learner has one (its own default), else the middle of each dimension.
    private static ParameterSet Fill(ILearner learner, IReadOnlyList<ParameterDimension> dimensions, DataProfile profile)
    {
        var start = learner.StartingPoints(profile).FirstOrDefault();
        return new ParameterSet(dimensions.Select(d => new KeyValuePair<string, object>(d.Name,
            start is not null && start.TryGetValue(d.Name, out var value) && d.Contains(value) ? value : Middle(d))));
    }

    private static object Middle(ParameterDimension dimension) => dimension switch
    {
        CategoricalDimension c => c.Choices[(c.Choices.Count - 1) / 2],
        NumericDimension n => n.FromInternal((n.InternalLow + n.InternalHigh) / 2),
        _ => throw new ArgumentException($"Dimension '{dimension.Name}' is of an unknown kind.", nameof(dimension)),
    };

    private static ParameterDimension Renamed(ParameterDimension dimension, string name) => dimension switch
    {
        CategoricalDimension c => ParameterDimension.Categorical(name, [.. c.Choices]),
        IntRangeDimension i => ParameterDimension.IntRange(name, (int)i.Min, (int)i.Max, i.Log),
        FloatRangeDimension f => ParameterDimension.FloatRange(name, f.Min, f.Max, f.Log),
        _ => throw new ArgumentException($"Dimension '{dimension.Name}' is of an unknown kind.", nameof(dimension)),
    };

    private static string Prefixed(string learner, string dimension) => $"{learner}.{dimension}";

    private static int Rank(string name)
    {
        for (var i = 0; i < CostOrder.Count; i++)
            if (CostOrder[i] == name) return i;
        return CostOrder.Count;
    }
}
