using AutoMLStudio.Engine.Spaces;

namespace AutoMLStudio.Engine.Search;

/// <summary>
/// Mixes "fine-tune this pretrained backbone" candidates into an image search: trial <see cref="FirstTrial"/> and
/// every <see cref="Every"/>th trial after it take one of <paramref name="backbones"/> (in turn) with a new head, and
/// draw how much of it learns (frozen, last stage, everything) and how fast its pretrained layers learn against the
/// head; the training settings (optimizer, learning rate, schedule, augmentation) are those <paramref name="inner"/>
/// proposed for the trial, so the search chooses them as for its own networks, except that a frozen backbone trains
/// without augmentation. Every other trial is <paramref name="inner"/>'s, and only those are told back to it: a
/// backbone's result says nothing about the studio's space. Draws are seeded by the trial number, so a restarted
/// search proposes the same trials.
/// </summary>
public sealed class BackboneCandidates(ISearchStrategy<TrialConfig> inner, IReadOnlyList<string> backbones, int seed) : ISearchStrategy<TrialConfig>
{
    /// <summary>The first backbone trial: after the space's two starting points, so every search has a sound own network first.</summary>
    public const int FirstTrial = 3;

    /// <summary>One trial in this many is a backbone (from <see cref="FirstTrial"/> on).</summary>
    public const int Every = 4;

    /// <summary>Shares of the rate the pretrained layers learn at; the new head always learns at the full rate.</summary>
    public static IReadOnlyList<double> LearningRateScales { get; } = [0.01, 0.1, 0.3, 1];

    // A stream of its own, so the draws do not repeat the inner strategy's.
    private const int DrawStream = 0xBAC6B0;

    public string Name => inner.Name;

    /// <summary>
    /// Whether trial <paramref name="trialNumber"/> is a backbone candidate. Re-asks for a trial whose first candidate
    /// broke a limit are the inner strategy's, so a tight limit falls back to the studio's own (smaller) networks.
    /// </summary>
    public bool IsBackboneTrial(int trialNumber) =>
        backbones.Count > 0 && trialNumber >= FirstTrial && trialNumber < SearchStrategies.RetryStride && (trialNumber - FirstTrial) % Every == 0;

    public TrialConfig Ask(int trialNumber)
    {
        var proposed = inner.Ask(trialNumber);
        if (!IsBackboneTrial(trialNumber)) return proposed;
        var slot = (trialNumber - FirstTrial) / Every;
        var random = new Random(Seeds.Combine(Seeds.Combine(seed, DrawStream), trialNumber));
        var mode = FineTuneSettings.BackboneModes[random.Next(FineTuneSettings.BackboneModes.Count)];
        var scale = LearningRateScales[random.Next(LearningRateScales.Count)];
        var own = proposed.Architecture;
        var architecture = new CnnArchitecture(own.InputChannels, own.InputSize, own.ClassCount, [], 0, 0, own.Mean, own.Std,
            Backbone: backbones[slot % backbones.Count]);
        if (mode != FineTuneSettings.Head) return proposed with { Architecture = architecture, FineTune = new FineTuneSettings(mode, scale) };
        // A frozen backbone is a linear probe on fixed features: without augmentation the trainer computes them once
        // instead of every epoch (FrozenFeatures), which on a CPU is the difference between one pass and one per epoch.
        return proposed with
        {
            Architecture = architecture,
            Training = proposed.Training with { Augmentation = AugmentationSettings.None },
            FineTune = new FineTuneSettings(mode),
        };
    }

    public void Tell(Observation<TrialConfig> observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        if (observation.Point.Architecture.Backbone is null) inner.Tell(observation);
    }
}
