namespace AutoMLStudio.Core.Suggestions;

public enum SuggestionStatus { Queued, Running, Completed, Failed }

/// <summary>
/// One pass of a model over a dataset's unlabeled items: each gets a suggested label with its confidence, and the pool
/// an order in which a person should label it (<see cref="Strategy"/>: what the model is least sure of first, with a
/// diversity term, or random). A new run replaces the previous run's suggestions.
/// </summary>
public sealed class LabelSuggestionRun
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid DatasetId { get; set; }
    public Guid ModelVersionId { get; set; }
    /// <summary>"name vN", as the labeling page shows where suggestions come from.</summary>
    public string ModelName { get; set; } = "";
    public SuggestionStatus Status { get; set; } = SuggestionStatus.Queued;
    /// <summary>uncertainty, margin, badge or random (<see cref="Engine.ActiveLearning.LabelingQueue.Strategies"/>).</summary>
    public string Strategy { get; set; } = Engine.ActiveLearning.LabelingQueue.Margin;
    public int Seed { get; set; }
    public int Total { get; set; }
    public int Done { get; set; }
    public string? Error { get; set; }
    public string? CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
    public DateTimeOffset? CompletedAt { get; set; }
}
