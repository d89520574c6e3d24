using System.Collections.Concurrent;
using System.Text.Json;
using AutoMLStudio.Core.Devices;
using AutoMLStudio.Engine.Search;
using AutoMLStudio.Engine.Spaces;
using AutoMLStudio.Engine.Training;

namespace AutoMLStudio.Core.Searches;

/// <summary>A proposed trial and, where a limit or trade-off needs it, its latency measured before training.</summary>
public sealed record Candidate(TrialConfig Config, double? LatencyMs);

/// <summary>
/// Asks a strategy for a candidate that honours the search's computable limits, so that one that breaks a limit is never
/// trained: parameters and FLOPs are counted, and latency is measured at batch size 1 on the search's device with the
/// candidate's untrained weights. Latencies are cached per architecture and device (a singleton): strategies propose the
/// same networks again, and a search step runs after every trial.
/// </summary>
public sealed class CandidateProposals(StudioDevices devices)
{
    private const int MaxAttempts = 500;
    private readonly ConcurrentDictionary<string, double> _latencies = new();

    /// <summary>The first of the strategy's asks for trial <paramref name="number"/> within <paramref name="constraints"/>.</summary>
    /// <exception cref="UserInputException">No candidate within <see cref="MaxAttempts"/> asks fits.</exception>
    public Candidate Ask(ISearchStrategy<TrialConfig> strategy, int number, ConstraintsRequest? constraints, string queue, bool measureLatency)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var config = strategy.Ask(number + attempt * SearchStrategies.RetryStride);
            if ((constraints?.MaxParams is { } maxParams && CnnSearchSpace.CountParameters(config.Architecture) > maxParams)
                || (constraints?.MaxFlops is { } maxFlops && CnnSearchSpace.CountFlops(config.Architecture) > maxFlops))
                continue;
            double? latency = measureLatency || constraints?.MaxLatencyMs is not null ? LatencyOf(config.Architecture, queue) : null;
            if (constraints?.MaxLatencyMs is { } maxLatency && latency > maxLatency) continue;
            return new Candidate(config, latency);
        }
        throw new UserInputException("Constraints too tight",
            "No architecture in the search space fits the parameter, FLOP or latency limit. Raise 'maxParams', 'maxFlops' or 'maxLatencyMs'.");
    }

    private double LatencyOf(CnnArchitecture architecture, string queue) =>
        _latencies.GetOrAdd($"{queue}|{JsonSerializer.Serialize(architecture with { Mean = [], Std = [] }, EngineJson.Options)}",
            _ => LatencyMeter.MedianMillisecondsUntrained(architecture, devices.TorchDeviceFor(queue)));
}
