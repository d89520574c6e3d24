using AutoMLStudio.Bench;

// Benchmarks print figures; they never pass or fail. Run in Release (see bench/README.md for each command):
//   dotnet run --project bench/AutoMLStudio.Bench -c Release -- <command> [options]
var command = args.FirstOrDefault() ?? "help";
var options = new BenchOptions(args.Skip(1).ToArray());
switch (command)
{
    case "import":
        await ImportBenchmark.RunAsync(options);
        break;
    case "throughput":
        await ThroughputBenchmark.RunAsync(options);
        break;
    case "packing":
        await PackingBenchmark.RunAsync(options);
        break;
    case "memory":
        await MemoryBenchmark.RunAsync(options);
        break;
    case "search":
        await SearchBenchmark.RunAsync(options);
        break;
    default:
        Console.WriteLine("""
            usage: AutoMLStudio.Bench <command> [options]
              import     [--generated N] [--fashion-mnist DIR]
              throughput [--fashion-mnist DIR] [--limit N] [--rounds N] [--epochs N] [--batch N] [--threads N]
              packing    [--fashion-mnist DIR] [--limit N] [--rounds N] [--epochs N] [--batch N]
              memory     [--fashion-mnist DIR] [--limit N] [--trials N]
              search     [--fashion-mnist DIR] [--minutes M] [--limit N] [--compare-random] [--seed N]
            """);
        break;
}
