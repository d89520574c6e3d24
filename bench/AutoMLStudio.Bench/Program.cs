using AutoMLStudio.Bench;

// Benchmarks print figures; they never pass or fail. Run in Release (see bench/README.md for each command):
//   dotnet run --project bench/AutoMLStudio.Bench -c Release -- <command> [options]
//   starting-points and active-learning need Fashion-MNIST (--fashion-mnist DIR or Debian's dataset-fashion-mnist).
// baselines needs Debian's python3-sklearn installed (python3-xgboost optional). tabular's and budgets' DIR: sklearn/datasets/data from Debian's python3-sklearn, installed or extracted with apt-get download + dpkg-deb -x.
var command = args.FirstOrDefault() ?? "help";
var options = new BenchOptions(args.Skip(1).ToArray());
switch (command)
{
    case "import":
        await ImportBenchmark.RunAsync(options);
        break;
    case "tabular":
        await TabularBenchmark.RunAsync(options.Sklearn, options.Int("--trials", 8), options.Int("--epochs", 30));
        break;
    case "budgets":
        await BudgetsBenchmark.RunAsync(options);
        break;
    case "baselines":
        await BaselinesBenchmark.RunAsync(options);
        break;
    case "starting-points" when options.FashionMnist is not null:
        await StartingPointBenchmark.RunAsync(options.FashionMnist, options.Int("--train", 5000), options.Int("--epochs", 10), options.Int("--threads", 2));
        break;
    case "active-learning":
        await ActiveLearningBenchmark.RunAsync(options);
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
    case "hosting":
        await HostingBenchmark.RunAsync(options);
        break;
    case "dashboard":
        await DashboardBenchmark.RunAsync(options);
        break;
    case "transfer":
        await TransferBenchmark.RunAsync(options);
        break;
    case "backbones":
        await BackboneCostBenchmark.RunAsync(options);
        break;
    default:
        Console.WriteLine("""
            usage: AutoMLStudio.Bench <command> [options]
              import     [--generated N] [--fashion-mnist DIR]
              tabular    [--sklearn DIR] [--trials N] [--epochs N]
              budgets    [--sklearn DIR] [--only digits,breast_cancer,wine_data,diabetes] [--minutes-digits M] [--minutes-tables M] [--seed N]
              baselines  [--only breast_cancer,wine,iris,diabetes,digits|none] [--csv PATH --target COLUMN [--task classification|regression]]...
                         [--minutes M] [--seed N] [--draws N] [--json PATH]
              starting-points [--fashion-mnist DIR] [--train N] [--epochs N] [--threads N]
              active-learning [--fashion-mnist DIR] [--pool N] [--rounds N] [--round-size N] [--epochs N] [--seed N]
                         [--min-steps N] [--repeats N] [--strategy margin|uncertainty|badge] [--diversity W]
                         [--committee off|on] [--test N] [--threads N]
              throughput [--fashion-mnist DIR] [--limit N] [--validation N] [--rounds N] [--epochs N] [--batch N] [--threads N]
              packing    [--fashion-mnist DIR] [--limit N] [--rounds N] [--epochs N] [--batch N]
              memory     [--fashion-mnist DIR] [--limit N] [--trials N]
              search     [--fashion-mnist DIR] [--minutes M] [--limit N] [--epochs N] [--seed N] [--compare-random]
              dashboard  [--trials N] [--epochs N] [--rounds N]
              hosting    [--fashion-mnist DIR] [--limit N] [--clients N] [--seconds N]
              transfer   [--fashion-mnist DIR] [--held-out a,b] [--first-per-class N] [--per-class N] [--first-minutes M] [--minutes M]
              backbones  [--fashion-mnist DIR] [--limit N] [--validation N] [--epochs N] [--batch N] [--threads N]
            """);
        break;
}
