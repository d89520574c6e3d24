using System.Diagnostics;
using System.Text.Json;
using AutoMLStudio.Core.Hosting;
using AutoMLStudio.Web.Api;
using Microsoft.Extensions.Options;

namespace AutoMLStudio.Web.Components.Pages.Endpoints;

/// <summary>An image chosen on the Try it tab: its bytes and the name it had on the user's disk.</summary>
public sealed record TryImage(string Name, byte[] Bytes);

/// <summary>
/// Predictions asked for on the endpoint page. They go through the same hosted predictor as the REST route and are counted
/// in the endpoint's monitoring as requests, so a person trying the model sees it in the charts as a program's call would be.
/// </summary>
public sealed class EndpointTryOut(HostedModels hosted, EndpointMonitor monitor, IOptions<HostingOptions> options)
{
    public Task<IReadOnlyList<Prediction>> ImagesAsync(Guid endpointId, IReadOnlyList<TryImage> images, CancellationToken ct) =>
        RunAsync(endpointId, predictor => predictor.PredictImages([.. images.Select(i => i.Bytes)], [.. images.Select(i => i.Name)]),
            [.. images.Select(i => new PredictionInput(i.Name, i.Bytes, null))], ct);

    /// <param name="instances">Each instance as a JSON object: the row's columns, or <c>{"text": "..."}</c>.</param>
    public async Task<IReadOnlyList<Prediction>> InstancesAsync(Guid endpointId, IReadOnlyList<string> instances, CancellationToken ct)
    {
        var parsed = instances.Select(json => JsonDocument.Parse(json)).ToList();
        try
        {
            return await RunAsync(endpointId, predictor => predictor.PredictInstances([.. parsed.Select(d => d.RootElement)]),
                [.. instances.Select((json, i) => new PredictionInput($"instance {i}", null, json))], ct);
        }
        finally
        {
            foreach (var document in parsed) document.Dispose();
        }
    }

    private async Task<IReadOnlyList<Prediction>> RunAsync(Guid endpointId, Func<ModelPredictor, IReadOnlyList<Prediction>> predict,
        IReadOnlyList<PredictionInput> inputs, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        using var lease = await hosted.AcquireAsync(endpointId, ct);
        try
        {
            // ONNX Runtime runs synchronously; off the circuit's thread the page keeps showing its progress bar.
            var predictor = lease.Predictor;
            var predictions = await Task.Run(() => predict(predictor), ct);
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

    // As the REST route does: an input the model was unsure of joins the queue a person can label from.
    private void RecordLowConfidence(Guid endpointId, IReadOnlyList<Prediction> predictions, IReadOnlyList<PredictionInput> inputs)
    {
        for (var i = 0; i < predictions.Count; i++)
        {
            if (predictions[i] is not { Label: { } label, Score: { } score } || score >= options.Value.LowConfidence) continue;
            monitor.RecordLowConfidence(endpointId, new LowConfidenceInput(Guid.NewGuid(), DateTimeOffset.UtcNow, label, score, inputs[i].Name,
                inputs[i].Image, inputs[i].Instance));
        }
    }
}
