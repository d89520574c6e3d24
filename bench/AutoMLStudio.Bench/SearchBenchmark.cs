namespace AutoMLStudio.Bench;

public static class SearchBenchmark
{
    public static Task RunAsync(BenchOptions options) => Task.CompletedTask;
}
