using AutoMLStudio.Bench;

// Benchmarks print figures; they never pass or fail. Run in Release:
//   dotnet run --project bench/AutoMLStudio.Bench -c Release -- import [--generated 20000] [--fashion-mnist /usr/share/datasets/fashion-mnist]
//   dotnet run --project bench/AutoMLStudio.Bench -c Release -- starting-points [--train 5000] [--epochs 10] [--threads 2]
var command = args.FirstOrDefault() ?? "help";
var options = BenchOptions.Parse(args.Skip(1).ToArray());
switch (command)
{
    case "import":
        await ImportBenchmark.RunAsync(options);
        break;
    case "starting-points" when options.FashionMnist is not null:
        await StartingPointBenchmark.RunAsync(options.FashionMnist, options.Int("--train", 5000), options.Int("--epochs", 10), options.Int("--threads", 2));
        break;
    default:
        Console.WriteLine("usage: AutoMLStudio.Bench import [--generated N] [--fashion-mnist DIR] | starting-points [--train N] [--epochs N] [--threads N]");
        break;
}

namespace AutoMLStudio.Bench
{
    public sealed record BenchOptions(int Generated, string? FashionMnist, string[] Args)
    {
        public int Int(string name, int fallback) =>
            int.TryParse(Args.SkipWhile(a => a != name).Skip(1).FirstOrDefault(), out var value) ? value : fallback;

        public static BenchOptions Parse(string[] args)
        {
            string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
            var fashion = Value("--fashion-mnist") ?? "/usr/share/datasets/fashion-mnist";
            return new BenchOptions(int.Parse(Value("--generated") ?? "20000"), Directory.Exists(fashion) ? fashion : null, args);
        }
    }
}
