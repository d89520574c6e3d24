using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace AutoMLStudio.Core.Hosting;

/// <summary>One input of a prediction as it arrived, kept for the low-confidence queue.</summary>
public sealed record PredictionInput(string Name, byte[]? Image, string? Instance);

/// <summary>
/// A prediction on an endpoint with its bookkeeping, the same for the REST route and the Try it page: the request is
/// counted with its latency (or as an error), and inputs the model was unsure of join the low-confidence queue.
/// </summary>
public sealed class MonitoredPredictions(HostedModels hosted, EndpointMonitor monitor, IOptions<HostingOptions> options)
{
    /// <summary>Largest input kept in the low-confidence queue: the queue lives in memory and holds up to 200 inputs per endpoint.</summary>
    public const int MaxKeptInputBytes = 1024 * 1024;

    public async Task<IReadOnlyList<Prediction>> RunAsync(Guid endpointId,
        Func<ModelPredictor, Task<(IReadOnlyList<Prediction> Predictions, IReadOnlyList<PredictionInput> Inputs)>> predict, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        using var lease = await hosted.AcquireAsync(endpointId, ct);
        try
        {
            var (predictions, inputs) = await predict(lease.Predictor);
            monitor.Record(endpointId, clock.Elapsed.TotalMilliseconds, succeeded: true, predictions);
            RecordLowConfidence(endpointId, predictions, inputs);
            return predictions;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            monitor.Record(endpointId, clock.Elapsed.TotalMilliseconds, succeeded: false);
            throw;
        }
    }

    private void RecordLowConfidence(Guid endpointId, IReadOnlyList<Prediction> predictions, IReadOnlyList<PredictionInput> inputs)
    {
        for (var i = 0; i < predictions.Count; i++)
        {
            if (predictions[i] is not { Label: { } label, Score: { } score } || score >= options.Value.LowConfidence) continue;
            if (inputs[i].Image?.Length > MaxKeptInputBytes || inputs[i].Instance?.Length > MaxKeptInputBytes) continue;
            monitor.RecordLowConfidence(endpointId, new LowConfidenceInput(Guid.NewGuid(), DateTimeOffset.UtcNow, label, score, inputs[i].Name,
                inputs[i].Image, inputs[i].Instance));
        }
    }
}
