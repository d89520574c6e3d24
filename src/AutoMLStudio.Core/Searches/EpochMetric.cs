namespace AutoMLStudio.Core.Searches;

public sealed class EpochMetric
{
    public long Id { get; set; }
    public Guid TrialId { get; set; }
    public int Epoch { get; set; }
    public double TrainLoss { get; set; }
    public double ValLoss { get; set; }
    /// <summary>The search's metric on the validation set after this epoch (accuracy, macro F1 or cost per item).</summary>
    public double ValMetric { get; set; }
    public double Seconds { get; set; }
}
