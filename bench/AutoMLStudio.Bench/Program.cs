using AutoMLStudio.Bench;

// Benchmarks print figures; they never pass or fail. Run in Release:
//   dotnet run --project bench/AutoMLStudio.Bench -c Release -- import [--generated 20000] [--fashion-mnist /usr/share/datasets/fashion-mnist]
//   dotnet run --project bench/AutoMLStudio.Bench -c Release -- tabular [--sklearn DIR] [--trials 8] [--epochs 30]
//     (DIR: sklearn/datasets/data from Debian's python3-sklearn, installed or extracted with apt-get download + dpkg-deb -x)
var command = args.FirstOrDefault() ?? "help";
var options = BenchOptions.Parse(args.Skip(1).ToArray());
switch (command)
{
    case "import":
        await ImportBenchmark.RunAsync(options);
        break;
    case "tabular":
        await TabularBenchmark.RunAsync(options.Sklearn, options.Trials, options.Epochs);
        break;
    default:
        Console.WriteLine("usage: AutoMLStudio.Bench import [--generated N] [--fashion-mnist DIR] | tabular [--sklearn DIR] [--trials N] [--epochs N]");
        break;
}

namespace AutoMLStudio.Bench
{
    public sealed record BenchOptions(int Generated, string? FashionMnist, string Sklearn, int Trials, int Epochs)
    {
        public static BenchOptions Parse(string[] args)
        {
            string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
            var fashion = Value("--fashion-mnist") ?? "/usr/share/datasets/fashion-mnist";
            return new BenchOptions(int.Parse(Value("--generated") ?? "20000"), Directory.Exists(fashion) ? fashion : null,
                Value("--sklearn") ?? "/usr/lib/python3/dist-packages/sklearn/datasets/data", int.Parse(Value("--trials") ?? "8"),
                int.Parse(Value("--epochs") ?? "30"));
        }
    }
}
