namespace AutoMLStudio.Core.Storage;

/// <summary>
/// Where files live: uploads, dataset items, checkpoints, models. A folder on one machine, a shared path in
/// multi-node mode. Paths given to it are relative and use forward slashes.
/// </summary>
public interface IArtifactStore
{
    string Root { get; }
    string FullPath(string relativePath);
}

public sealed class FolderArtifactStore : IArtifactStore
{
    public FolderArtifactStore(string root)
    {
        Root = Path.GetFullPath(root);
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string FullPath(string relativePath)
    {
        var full = Path.GetFullPath(Path.Combine(Root, relativePath));
        // Relative paths come from our own code, never from uploads; this guard keeps it that way.
        if (!full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal) && full != Root)
            throw new InvalidOperationException($"Path '{relativePath}' leaves the artifact store.");
        return full;
    }
}

public static class ArtifactPaths
{
    public static string Upload(Guid datasetId) => $"uploads/{datasetId:N}.upload";
    public static string DatasetFolder(Guid datasetId) => $"datasets/{datasetId:N}";
    public static string DatasetStaging(Guid datasetId) => $"datasets/{datasetId:N}.staging";
    public static string Item(Guid datasetId, Guid itemId, string extension) => $"datasets/{datasetId:N}/items/{itemId:N}{extension}";
    public static string Thumbnail(Guid datasetId, Guid itemId) => $"datasets/{datasetId:N}/thumbs/{itemId:N}.png";
    public static string SearchData(Guid searchId) => $"searches/{searchId:N}/data.bin";
    /// <summary>The best model's prediction for every test example, written when the search completes.</summary>
    public static string TestPredictions(Guid searchId) => $"searches/{searchId:N}/test-predictions.json";
    public static string TrialCheckpoints(Guid searchId, Guid trialId) => $"searches/{searchId:N}/trials/{trialId:N}";
    /// <summary>The search's best configuration retrained on train+validation (checkpoints, then the final weights).</summary>
    public static string FinalRetrain(Guid searchId) => $"searches/{searchId:N}/final";
    public static string ModelVersion(Guid modelId, int version) => $"models/{modelId:N}/v{version}";
}
