using System.Text.Json;
using AutoMLStudio.Engine.Spaces;

namespace AutoMLStudio.Engine.Search;

/// <summary>
/// Neural architecture construction: it starts from a small "envelope" network and grows it by measurement rather than
/// by sampling. Every construction trial trains only <see cref="TruncatedEpochs"/> epochs; the strategy then reads the
/// trained weights (<see cref="BlockUtilities"/>), removes or narrows blocks whose filters are mostly dead, widens the
/// most useful block (or adds a block after it once it is at <see cref="MaxFilters"/>), and proposes that network next.
/// It extends a beam of the two best networks so far, so that trials proposed side by side grow different networks. The
/// last <see cref="FinalTrials"/> trials train the best constructed networks with the full epoch budget.
/// Deterministic given the seed, the trial number and the set of trials told with their weights.
/// </summary>
public sealed class NacSearch : ISearchStrategy<TrialConfig>
{
    /// <summary>Fewest filters a block is narrowed to.</summary>
    public const int MinFilters = 8;

    /// <summary>Most filters a block is widened to.</summary>
    public const int MaxFilters = 128;

    /// <summary>Most conv blocks a constructed network has.</summary>
    public const int MaxBlocks = 4;

    /// <summary>A block with at least this share of weak filters is narrowed to its strong ones.</summary>
    public const double PruneFraction = 0.5;

    /// <summary>A block with at least this share of weak filters (or already at <see cref="MinFilters"/>) is removed.</summary>
    public const double RemoveFraction = 0.9;

    /// <summary>A block whose utility is at least this multiple of the network's mean is widened.</summary>
    public const double WidenRelative = 1.2;

    private const int BeamWidth = 2;
    private const int EditTries = 20;

    private readonly SearchSpaceContext _context;
    private readonly int _seed;
    private readonly SortedDictionary<int, Observation<TrialConfig>> _told = [];
    private readonly Dictionary<string, IReadOnlyList<BlockUtility>> _utilities = [];

    /// <summary>NAC over the data of <paramref name="context"/> for a search of at most <paramref name="budget"/> trials.</summary>
    public NacSearch(SearchSpaceContext context, int seed, int budget)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentOutOfRangeException.ThrowIfLessThan(budget, 1);
        _context = context;
        _seed = seed;
        Budget = budget;
        TruncatedEpochs = Math.Max(1, context.MaxEpochs / 4);
        // With one epoch per trial there is nothing to truncate, so every trial constructs; a one-trial search trains the envelope fully.
        FinalTrials = TruncatedEpochs == context.MaxEpochs ? 0 : budget == 1 ? 1 : Math.Max(1, budget / 5);
    }

    /// <inheritdoc />
    public string Name => "nac";

    /// <summary>Trials the search runs at most.</summary>
    public int Budget { get; }

    /// <summary>Epochs of a construction trial: a quarter of the budget per trial, at least one.</summary>
    public int TruncatedEpochs { get; }

    /// <summary>How many of the last trials train constructed networks with the full epoch budget.</summary>
    public int FinalTrials { get; }

    /// <summary>What "nac" stands for, with the sentence the UI shows next to the search.</summary>
    public static AutoChoice Choice(int budget, int maxEpochs)
    {
        var nac = new NacSearch(new SearchSpaceContext(1, 28, 2, [0f], [1f], maxEpochs), 0, budget);
        var final = nac.FinalTrials == 0
            ? "every trial constructs, since one epoch per trial leaves nothing to truncate."
            : $"the last {nac.FinalTrials} of {budget} trials train the best networks it built with all {maxEpochs} epochs.";
        return new AutoChoice("nac", "none",
            $"Neural architecture construction, as asked: it starts from a small network, trains each candidate {nac.TruncatedEpochs} "
            + $"epoch{(nac.TruncatedEpochs == 1 ? "" : "s")}, prunes blocks whose filters learnt little and widens the most useful ones; {final}");
    }

    /// <summary>The small network construction starts from: the fewest blocks the input needs (at least two) of 16 filters.</summary>
    public TrialConfig Envelope()
    {
        var blocks = Enumerable.Repeat(new ConvBlockSpec(16, 3, BatchNorm: true, Pool: true), Math.Max(2, CnnParameterSpace.MinBlocks(_context))).ToList();
        var architecture = new CnnArchitecture(_context.InputChannels, _context.InputSize, _context.ClassCount, Pooled(blocks), 64, 0.2,
            (float[])_context.Mean.Clone(), (float[])_context.Std.Clone());
        return new TrialConfig(architecture, new TrainingSettings("adam", 1e-3, 1e-4, 64, TruncatedEpochs));
    }

    /// <inheritdoc />
    public TrialConfig Ask(int trialNumber)
    {
        var slot = trialNumber % SearchStrategies.RetryStride;
        var attempt = trialNumber / SearchStrategies.RetryStride;
        var rng = new Random(Seeds.Combine(_seed, trialNumber));
        var ranked = Ranked();
        if (slot > Budget - FinalTrials)
        {
            var index = slot - (Budget - FinalTrials) - 1 + attempt;
            var chosen = ranked.Count == 0 ? Envelope() : ranked[index % ranked.Count].Point;
            return chosen with { Training = chosen.Training with { Epochs = _context.MaxEpochs } };
        }

        var known = _told.Values.Select(o => Key(o.Point.Architecture)).ToHashSet();
        CnnArchitecture child;
        TrainingSettings training;
        if (ranked.Count == 0)
        {
            var envelope = Envelope();
            training = envelope.Training;
            child = _told.Count == 0 && slot == 1 && attempt == 0 ? envelope.Architecture : RandomEdits(envelope.Architecture, 1, false, rng, known);
        }
        else
        {
            var parent = ranked[(slot + attempt) % Math.Min(BeamWidth, ranked.Count)];
            training = parent.Point.Training;
            var utilities = UtilitiesOf(parent);
            child = utilities is null ? parent.Point.Architecture : Construct(parent.Point.Architecture, utilities);
            if (utilities is null || known.Contains(Key(child))) child = RandomEdits(child, 1, false, rng, known);
        }
        // A retry means the last candidate broke a size or speed limit: each retry walks further, mostly by shrinking.
        if (attempt > 0) child = RandomEdits(child, Math.Min(attempt, 8), true, rng, known);
        return new TrialConfig(child, training with { Epochs = TruncatedEpochs });
    }

    /// <inheritdoc />
    public void Tell(Observation<TrialConfig> observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        _told[observation.Number] = observation;
    }

    /// <summary>
    /// One construction step on <paramref name="architecture"/>: blocks with at least <see cref="PruneFraction"/> weak
    /// filters are narrowed to their strong filters (rounded up to a multiple of 8), or removed when nearly all are weak
    /// and the input allows one block fewer; the most useful block is widened twofold (or, at <see cref="MaxFilters"/>,
    /// followed by a copy of itself) when its utility is at least <see cref="WidenRelative"/> times the mean, or when
    /// nothing was pruned, so that every step changes the network.
    /// </summary>
    public CnnArchitecture Construct(CnnArchitecture architecture, IReadOnlyList<BlockUtility> utilities)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(utilities);
        var best = utilities.MaxBy(u => u.Relative)!;
        var pruned = utilities.Where(u => u.Block != best.Block && u.WeakFraction >= PruneFraction).ToDictionary(u => u.Block);
        var widen = best.Relative >= WidenRelative || pruned.Count == 0;
        var removable = architecture.Blocks.Count - Math.Max(1, CnnParameterSpace.MinBlocks(_context));
        var removed = pruned.Values
            .Where(u => u.WeakFraction >= RemoveFraction || architecture.Blocks[u.Block].Filters <= MinFilters)
            .OrderByDescending(u => u.WeakFraction).ThenBy(u => u.Block).Take(Math.Max(0, removable)).Select(u => u.Block).ToHashSet();

        var blocks = new List<ConvBlockSpec>();
        for (var i = 0; i < architecture.Blocks.Count; i++)
        {
            var block = architecture.Blocks[i];
            if (removed.Contains(i)) continue;
            if (pruned.TryGetValue(i, out var weak))
                block = block with { Filters = Math.Max(MinFilters, (weak.StrongFilters + 7) / 8 * 8) };
            blocks.Add(block);
            if (i == best.Block && widen) Widen(blocks, blocks.Count - 1, architecture.Blocks.Count - removed.Count < MaxBlocks);
        }
        return architecture with { Blocks = Pooled(blocks) };
    }

    private static void Widen(List<ConvBlockSpec> blocks, int index, bool canAddBlock)
    {
        if (blocks[index].Filters < MaxFilters)
            blocks[index] = blocks[index] with { Filters = Math.Min(MaxFilters, blocks[index].Filters * 2) };
        else if (canAddBlock)
            blocks.Insert(index + 1, blocks[index] with { Pool = false });
    }

    // Construction trials that finished, best first, one per architecture: the final phase trains these, the beam extends them.
    private List<Observation<TrialConfig>> Ranked() =>
        [.. _told.Values
            .Where(o => o.Objective is { } value && double.IsFinite(value) && o.Point.Training.Epochs == TruncatedEpochs)
            .OrderByDescending(o => o.Objective).ThenBy(o => o.Number)
            .DistinctBy(o => Key(o.Point.Architecture))];

    private IReadOnlyList<BlockUtility>? UtilitiesOf(Observation<TrialConfig> observation)
    {
        if (observation.WeightsPath is not { } path || !File.Exists(path)) return null;
        if (_utilities.TryGetValue(path, out var utilities)) return utilities;
        try
        {
            return _utilities[path] = BlockUtilities.Measure(observation.Point.Architecture, path);
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or InvalidDataException)
        {
            return null; // unreadable weights: the caller falls back to a random edit, as for a trial without weights
        }
    }

    // Random steps for when utilities say nothing new: a network without weights, one already trained, or a retry.
    private CnnArchitecture RandomEdits(CnnArchitecture start, int steps, bool shrink, Random rng, HashSet<string> known)
    {
        var candidate = start;
        for (var tries = 0; tries < EditTries; tries++)
        {
            candidate = start;
            for (var step = 0; step < steps; step++) candidate = RandomEdit(candidate, shrink && rng.NextDouble() < 0.75, rng);
            if (!known.Contains(Key(candidate))) return candidate;
        }
        return candidate;
    }

    private CnnArchitecture RandomEdit(CnnArchitecture a, bool shrink, Random rng)
    {
        var blocks = a.Blocks.ToList();
        var i = rng.Next(blocks.Count);
        var dense = a.DenseUnits;
        switch (shrink ? rng.Next(4) : rng.Next(7))
        {
            case 0:
                blocks[i] = blocks[i] with { Filters = Math.Max(MinFilters, blocks[i].Filters / 2) };
                break;
            case 1 when blocks.Count > Math.Max(1, CnnParameterSpace.MinBlocks(_context)):
                blocks.RemoveAt(i);
                break;
            case 2:
                dense /= 2;
                break;
            case 3:
                blocks[i] = blocks[i] with { Kernel = 3 };
                break;
            case 4:
                Widen(blocks, i, blocks.Count < MaxBlocks);
                break;
            case 5:
                blocks[i] = blocks[i] with { Kernel = blocks[i].Kernel == 3 ? 5 : 3 };
                break;
            case 6:
                dense = Math.Min(128, Math.Max(32, dense * 2));
                break;
        }
        return a with { Blocks = Pooled(blocks), DenseUnits = dense < 16 ? 0 : dense };
    }

    // As in CnnParameterSpace.Decode: a block pools where the map is at least 4 wide and either it asks to or the map
    // would otherwise end wider than CnnSearchSpace.MaxFinalFeatureSize.
    private List<ConvBlockSpec> Pooled(List<ConvBlockSpec> blocks)
    {
        var size = _context.InputSize;
        for (var i = 0; i < blocks.Count; i++)
        {
            var mustPool = size >> (blocks.Count - 1 - i) > CnnSearchSpace.MaxFinalFeatureSize;
            var pool = size >= 4 && (mustPool || blocks[i].Pool);
            if (pool) size /= 2;
            blocks[i] = blocks[i] with { Pool = pool };
        }
        return blocks;
    }

    // Records compare lists by reference; the JSON of the architecture without its input statistics says what was built.
    private static string Key(CnnArchitecture a) => JsonSerializer.Serialize(a with { Mean = [], Std = [] }, EngineJson.Options);
}
