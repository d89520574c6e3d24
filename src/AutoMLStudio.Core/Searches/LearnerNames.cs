namespace AutoMLStudio.Core.Searches;

/// <summary>What the pages call each learner of the catalog; a learner not named here is shown by its name.</summary>
public static class LearnerNames
{
    private static readonly Dictionary<string, string> Words = new(StringComparer.Ordinal)
    {
        ["lightgbm"] = "LightGBM",
        ["linear"] = "Linear model",
        ["forest"] = "Random forest",
        ["mlp"] = "MLP",
        ["text"] = "Neural text model",
        ["tfidf_linear"] = "TF-IDF linear",
        ["ensemble"] = "Ensemble",
        ["cnn"] = "CNN",
        ["backbone"] = "Pretrained network",
    };

    /// <summary>"LightGBM" for <c>lightgbm</c>.</summary>
    public static string Display(string learner) => Words.GetValueOrDefault(learner, learner);
}
