using System.Text.Json;
using AutoMLStudio.Core.Hosting;

namespace AutoMLStudio.Web.Components.Pages.Endpoints;

/// <summary>An image chosen on the Try it tab: its bytes and the name it had on the user's disk.</summary>
public sealed record TryImage(string Name, byte[] Bytes);

/// <summary>
/// Predictions asked for on the endpoint page. They go through the same hosted predictor as the REST route and are counted
/// in the endpoint's monitoring as requests, so a person trying the model sees it in the charts as a program's call would be.
/// </summary>
public sealed class EndpointTryOut(MonitoredPredictions predictions)
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

    // ONNX Runtime runs synchronously; off the circuit's thread the page keeps showing its progress bar.
    private Task<IReadOnlyList<Prediction>> RunAsync(Guid endpointId, Func<ModelPredictor, IReadOnlyList<Prediction>> predict,
        IReadOnlyList<PredictionInput> inputs, CancellationToken ct) =>
        predictions.RunAsync(endpointId, async predictor => (await Task.Run(() => predict(predictor), ct), inputs), ct);
}
