namespace AutoMLStudio.Core.Searches;

/// <summary>Something that happened in a search, published after it was written to the database.</summary>
public abstract record SearchEvent(Guid SearchId)
{
    /// <summary>The hub method name outside clients subscribe to.</summary>
    public abstract string Name { get; }
}

public sealed record TrialStarted(Guid SearchId, Guid TrialId, int Number, string Device) : SearchEvent(SearchId)
{
    public override string Name => "trialStarted";
}

public sealed record EpochCompleted(Guid SearchId, Guid TrialId, int Number, int Epoch, double TrainLoss, double ValLoss,
    double ValMetric, double Seconds) : SearchEvent(SearchId)
{
    public override string Name => "epochCompleted";
}

public sealed record TrialCompleted(Guid SearchId, Guid TrialId, int Number, string Status, double? ValMetric, long Params,
    string? Error) : SearchEvent(SearchId)
{
    public override string Name => "trialCompleted";
}

/// <summary>The search's trials are done and its best configuration is being retrained on train+validation for <paramref name="Epochs"/> epochs.</summary>
public sealed record FinalRetrainStarted(Guid SearchId, Guid TrialId, int Epochs) : SearchEvent(SearchId)
{
    public override string Name => "finalRetrainStarted";
}

public sealed record SearchCompleted(Guid SearchId, string Status, Guid? BestTrialId, double? TestAccuracy, string? Error)
    : SearchEvent(SearchId)
{
    public override string Name => "searchCompleted";
}

/// <summary>Fans search events out (SignalR group, Blazor circuits). Publishing never fails the caller.</summary>
public interface ISearchEventPublisher
{
    Task PublishAsync(SearchEvent searchEvent);
}
