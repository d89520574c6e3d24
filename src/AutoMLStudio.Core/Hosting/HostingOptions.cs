using System.ComponentModel.DataAnnotations;

namespace AutoMLStudio.Core.Hosting;

/// <summary>Prediction endpoints, bound from <c>Hosting</c>.</summary>
public sealed class HostingOptions
{
    public const string Section = "Hosting";

    /// <summary>
    /// Predict requests a key may make per second (token bucket, bursts up to one second's worth); 429 beyond. A key
    /// created with its own requestsPerSecond uses that instead: a program that needs more gets a key of its own.
    /// </summary>
    [Range(1, 1_000_000)]
    public int RequestsPerSecondPerKey { get; set; } = 100;

    /// <summary>Largest predict request body; larger ones are refused with 413 before they are read.</summary>
    [Range(1024, 1L << 30)]
    public long MaxRequestBytes { get; set; } = 20 * 1024 * 1024;

    /// <summary>A prediction whose top probability is below this joins the endpoint's low-confidence queue.</summary>
    [Range(0.0, 1.0)]
    public double LowConfidence { get; set; } = 0.6;

    /// <summary>ONNX Runtime threads per prediction; 1 serves many concurrent requests best on small models.</summary>
    [Range(1, 64)]
    public int ThreadsPerPrediction { get; set; } = 1;
}
