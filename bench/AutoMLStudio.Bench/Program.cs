using AutoMLStudio.Bench;

// Benchmarks print figures; they never pass or fail. Run in Release:
//   dotnet run --project bench/AutoMLStudio.Bench -c Release -- import [--generated 20000] [--fashion-mnist /usr/share/datasets/fashion-mnist]
//   dotnet run --project bench/AutoMLStudio.Bench -c Release -- tabular [--sklearn DIR] [--trials 8] [--epochs 30]
//     (DIR: sklearn/datasets/data from Debian's python3-sklearn, installed or extracted with apt-get download + dpkg-deb -x)
//   dotnet run --project bench/AutoMLStudio.Bench -c Release -- starting-points [--train 5000] [--epochs 10] [--threads 2]
var command = args.FirstOrDefault() ?? "help";
var options = BenchOptions.Parse(args.Skip(1).ToArray());
switch (command)
{
    case "import":
        await ImportBenchmark.RunAsync(options);
        break;
    case "tabular":
        await TabularBenchmark.RunAsync(options.Text("--sklearn", "/usr/lib/python3/dist-packages/sklearn/datasets/data"),
            options.Int("--trials", 8), options.Int("--epochs", 30));
        break;
    case "starting-points" when options.FashionMnist is not null:
        await StartingPointBenchmark.RunAsync(options.FashionMnist, options.Int("--train", 5000), options.Int("--epochs", 10), options.Int("--threads", 2));
        break;
    default:
        Console.WriteLine("usage: AutoMLStudio.Bench import [--generated N] [--fashion-mnist DIR] | tabular [--sklearn DIR] [--trials N] [--epochs N]"
            + " | starting-points [--train N] [--epochs N] [--threads N]");
        break;
}

namespace AutoMLStudio.Bench
{
    public sealed record BenchOptions(int Generated, string? FashionMnist, string[] Args)
    {
        public string? Value(string name) => Args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

        public string Text(string name, string fallback) => Value(name) ?? fallback;

        public int Int(string name, int fallback) => int.TryParse(Value(name), out var value) ? value : fallback;

        public static BenchOptions Parse(string[] args)
        {
            var options = new BenchOptions(0, null, args);
            var fashion = options.Text("--fashion-mnist", "/usr/share/datasets/fashion-mnist");
            return options with { Generated = options.Int("--generated", 20000), FashionMnist = Directory.Exists(fashion) ? fashion : null };
        }
    }
}
