using AutoMLStudio.Engine.Spaces;

namespace AutoMLStudio.Engine.Search;

/// <summary>
/// The strategy of a search that starts from a trained model: the network is that model's (with a new output layer),
/// so of each configuration <paramref name="inner"/> proposes only the training settings are kept, and every trial
/// also draws whether all layers learn or only the output layer. Both are seeded by the trial number, so a restarted
/// search proposes the same trials.
/// </summary>
public sealed class FineTuneStrategy(ISearchStrategy<TrialConfig> inner, CnnArchitecture architecture, int seed) : ISearchStrategy<TrialConfig>
{
    // A stream of its own, so the choice does not repeat the draws of the inner strategy's sampler.
    private const int ModeStream = 0x5EED;

    public string Name => inner.Name;

    public TrialConfig Ask(int trialNumber)
    {
        var proposed = inner.Ask(trialNumber);
        var random = new Random(Seeds.Combine(Seeds.Combine(seed, ModeStream), trialNumber));
        var mode = FineTuneSettings.Modes[random.Next(FineTuneSettings.Modes.Count)];
        return proposed with { Architecture = architecture, FineTune = new FineTuneSettings(mode) };
    }

    public void Tell(Observation<TrialConfig> observation) => inner.Tell(observation);
}
