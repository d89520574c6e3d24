namespace AutoMLStudio.Core.Datasets;

/// <summary>Something that changed in a dataset, published after it was written.</summary>
public abstract record DatasetEvent(Guid DatasetId)
{
    public abstract string Name { get; }
}

/// <summary>One item's new label. <see cref="Replaced"/> is set when the change overwrote someone else's label.</summary>
public sealed record LabelChange(Guid ItemId, string? Label, int Revision, ReplacedLabel? Replaced);

public sealed record ReplacedLabel(string? Label, string? LabeledBy, int Revision);

/// <summary>
/// Labels changed. <see cref="Changes"/> lists the items, unless more changed than is worth sending
/// (<see cref="Count"/> is then larger and a client reloads).
/// </summary>
public sealed record LabelsChanged(Guid DatasetId, string Action, string? ChangedBy, int Count, IReadOnlyList<LabelChange> Changes,
    IReadOnlyList<string> Labels) : DatasetEvent(DatasetId)
{
    public override string Name => "labelsChanged";
}

/// <summary>Fans dataset events out to the dataset's SignalR group and to Blazor circuits.</summary>
public interface IDatasetEventPublisher
{
    Task PublishAsync(DatasetEvent datasetEvent);
}
