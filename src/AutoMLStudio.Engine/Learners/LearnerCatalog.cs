namespace AutoMLStudio.Engine.Learners;

/// <summary>The learners a search can try; adding one is its file and one line here.</summary>
public static class LearnerCatalog
{
    public static IReadOnlyList<ILearner> All { get; } =
    [
        new CnnLearner(),
        new BackboneLearner(),
        new LightGbmLearner(),
        new LinearLearner(),
        new ForestLearner(),
        new TabularMlpLearner(),
        new TextLearner(),
        new TfidfLearner(),
        new EnsembleLearner(),
    ];

    /// <summary>The learners that train candidates of their own: all but the ensemble, which combines trained ones.</summary>
    public static IReadOnlyList<ILearner> Trainable { get; } = [.. All.Where(l => l is not EnsembleLearner)];

    /// <summary>The learner that trains on data of <paramref name="profile"/>.</summary>
    /// <exception cref="ArgumentException">No learner serves it.</exception>
    public static ILearner For(DataProfile profile) =>
        All.FirstOrDefault(l => l.Serves(profile)) ?? throw new ArgumentException("No learner trains on this data.", nameof(profile));

    /// <summary>The learner named <paramref name="name"/>.</summary>
    public static ILearner Named(string name) =>
        All.FirstOrDefault(l => l.Name == name) ?? throw new ArgumentException($"No learner is named '{name}'.", nameof(name));
}
