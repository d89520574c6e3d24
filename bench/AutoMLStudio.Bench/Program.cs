using AutoMLStudio.Bench;

// Benchmarks print figures; they never pass or fail. Run in Release:
//   dotnet run --project bench/AutoMLStudio.Bench -c Release -- import [--generated 20000] [--fashion-mnist /usr/share/datasets/fashion-mnist]
var command = args.FirstOrDefault() ?? "help";
var options = BenchOptions.Parse(args.Skip(1).ToArray());
switch (command)
{
    case "import":
        await ImportBenchmark.RunAsync(options);
        break;
    default:
        Console.WriteLine("usage: AutoMLStudio.Bench import [--generated N] [--fashion-mnist DIR]");
        break;
}

namespace AutoMLStudio.Bench
{
    public sealed record BenchOptions(int Generated, string? FashionMnist)
    {
        public static BenchOptions Parse(string[] args)
        {
            string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
            var fashion = Value("--fashion-mnist") ?? "/usr/share/datasets/fashion-mnist";
            return new BenchOptions(int.Parse(Value("--generated") ?? "20000"), Directory.Exists(fashion) ? fashion : null);
        }
    }
}
