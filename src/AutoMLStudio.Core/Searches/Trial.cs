using AutoMLStudio.Core.Storage;

namespace AutoMLStudio.Core.Searches;

public enum TrialStatus { Queued, Running, Completed, Pruned, Failed }

public sealed class Trial
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid SearchId { get; set; }
    public Search? Search { get; set; }
    public int Number { get; set; }
    public TrialStatus Status { get; set; } = TrialStatus.Queued;
    /// <summary>The Engine's trial configuration (architecture and training settings) as JSON.</summary>
    public required string ConfigJson { get; set; }
    /// <summary>Best validation value of the search's metric so far, in the metric's own terms (a cost is a cost: lower is better).</summary>
    public double? ValMetric { get; set; }
    public double? ValLoss { get; set; }
    /// <summary>
    /// Validation confusion matrix ([true][predicted] counts) of the epoch <see cref="ValMetric"/> comes from, so the trial can
    /// be scored again under another objective (say a new cost matrix) without retraining.
    /// </summary>
    public Engine.Metrics.ConfusionMatrix? ValConfusion { get; set; }
    /// <summary>Set on a trial carried over from the search this one refines: that search's id and the trial's number there.</summary>
    public Guid? InheritedFromSearchId { get; set; }
    public int? InheritedFromTrialNumber { get; set; }
    /// <summary>Where the trial's checkpoints live when not in its own folder (an inherited trial reuses the original's weights).</summary>
    public string? CheckpointFolder { get; set; }
    public long Params { get; set; }
    public long? Flops { get; set; }
    public double? LatencyMs { get; set; }
    public string? Error { get; set; }
    public string? Device { get; set; }
    /// <summary>The device queue the trial was placed on (gpu-0, cpu, ...); null on trials placed before per-trial placement, which use the search's.</summary>
    public string? Queue { get; set; }
    /// <summary>Device memory the trial is estimated to need while training (<see cref="Engine.Models.TrainingMemory"/>), which placement reserves.</summary>
    public long? MemoryBytes { get; set; }
    public string? JobId { get; set; }
    /// <summary>Who runs it now: a live lease means a second delivery of the same job must do nothing.</summary>
    public string? LeaseOwner { get; set; }
    public DateTimeOffset? LeaseExpiresAt { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public List<EpochMetric> Epochs { get; set; } = [];

    /// <summary>The queue the trial runs on: its own, or its search's for trials placed before per-trial placement.</summary>
    public string QueueOr(Search search) => Queue ?? search.Queue;

    /// <summary>The artifact folder holding the trial's checkpoints and best weights.</summary>
    public string Checkpoints() => CheckpointFolder ?? ArtifactPaths.TrialCheckpoints(SearchId, Id);
}
