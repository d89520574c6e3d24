using AutoMLStudio.Engine.Spaces;

namespace AutoMLStudio.Engine.Search;

/// <summary>
/// Independent samples from <see cref="CnnSearchSpace"/>. Trial <c>n</c> draws from <c>Random(Seeds.Combine(seed, n))</c>,
/// so a restarted search proposes the same configurations whatever it was told. Image searches use it for "random"
/// rather than <see cref="RandomStrategy"/> over <see cref="CnnParameterSpace"/>: searches stored before the flat
/// spaces existed must replay the same trials.
/// </summary>
public sealed class RandomSearch(SearchSpaceContext context, int seed) : ISearchStrategy<TrialConfig>
{
    private readonly List<Observation<TrialConfig>> _observations = [];

    /// <inheritdoc />
    public string Name => "random";

    /// <summary>Observations told so far.</summary>
    public IReadOnlyList<Observation<TrialConfig>> Observations => _observations;

    /// <inheritdoc />
    public TrialConfig Ask(int trialNumber) => CnnSearchSpace.Sample(new Random(Seeds.Combine(seed, trialNumber)), context);

    /// <inheritdoc />
    public void Tell(Observation<TrialConfig> observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        _observations.Add(observation);
    }
}
