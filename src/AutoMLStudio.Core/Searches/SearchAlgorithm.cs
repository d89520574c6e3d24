using System.Text.Json.Serialization;
using AutoMLStudio.Core.Data;

namespace AutoMLStudio.Core.Searches;

/// <summary>A stored search's strategy ("auto" and "asha" in a request are resolved to one of these when it starts).</summary>
[JsonConverter(typeof(WireNameJsonConverter<SearchAlgorithm>))]
public enum SearchAlgorithm { Random, Tpe, Evolution, Nac }

/// <summary>A stored search's early-stopping scheduler.</summary>
[JsonConverter(typeof(WireNameJsonConverter<SearchScheduler>))]
public enum SearchScheduler { None, Asha, Median }

public static class SearchAlgorithms
{
    /// <summary>"tpe", "asha": the word the Engine's factories and the API use.</summary>
    public static string Name(this SearchAlgorithm algorithm) => WireNames<SearchAlgorithm>.Name(algorithm);

    public static string Name(this SearchScheduler scheduler) => WireNames<SearchScheduler>.Name(scheduler);
}
