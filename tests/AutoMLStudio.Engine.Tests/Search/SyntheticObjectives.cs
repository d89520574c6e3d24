using AutoMLStudio.Engine.Search;

namespace AutoMLStudio.Engine.Tests.Search;

/// <summary>Cheap objectives with a known optimum (higher is better) over mixed spaces, to race strategies on.</summary>
public sealed record SyntheticObjective(string Name, ParameterSpace Space, Func<ParameterSet, double> Evaluate, double Optimum)
{
    public override string ToString() => Name;

    public static IReadOnlyList<SyntheticObjective> All { get; } = [ShiftedSphere(), Branin4D(), CnnLikeAccuracy()];

    public static SyntheticObjective Named(string name) => All.Single(o => o.Name == name);

    /// <summary>A sphere off the centre over a float, a log float, a log int, an int and a categorical; optimum 0.</summary>
    private static SyntheticObjective ShiftedSphere()
    {
        var space = new ParameterSpace(
            ParameterDimension.FloatRange("x", -5, 5),
            ParameterDimension.FloatRange("learningRate", 1e-5, 1, log: true),
            ParameterDimension.IntRange("width", 1, 128, log: true),
            ParameterDimension.IntRange("layers", 1, 8),
            ParameterDimension.Categorical("activation", "relu", "tanh", "gelu", "sigmoid", "elu"));
        var activationPenalty = new Dictionary<string, double> { ["gelu"] = 0, ["relu"] = 0.05, ["elu"] = 0.08, ["tanh"] = 0.15, ["sigmoid"] = 0.3 };
        return new("shifted sphere", space, p =>
            -(Square((p.GetDouble("x") - 1.7) / 10)
              + Square((Math.Log10(p.GetDouble("learningRate")) - Math.Log10(3e-3)) / 5)
              + Square((Math.Log2(p.GetDouble("width")) - Math.Log2(24)) / 7)
              + Square((p.GetDouble("layers") - 5) / 7)
              + activationPenalty[p.GetString("activation")]), 0);
    }

    /// <summary>Branin over (x1, x2) plus a log learning rate and an optimizer choice; optimum -0.397887.</summary>
    private static SyntheticObjective Branin4D()
    {
        var space = new ParameterSpace(
            ParameterDimension.FloatRange("x1", -5, 10),
            ParameterDimension.FloatRange("x2", 0, 15),
            ParameterDimension.FloatRange("learningRate", 1e-4, 1e-1, log: true),
            ParameterDimension.Categorical("optimizer", "sgd", "adam", "rmsprop"));
        var optimizerPenalty = new Dictionary<string, double> { ["adam"] = 0, ["rmsprop"] = 2, ["sgd"] = 5 };
        return new("branin 4-D", space, p =>
        {
            double x1 = p.GetDouble("x1"), x2 = p.GetDouble("x2");
            var branin = Square(x2 - 5.1 / (4 * Math.PI * Math.PI) * x1 * x1 + 5 / Math.PI * x1 - 6)
                + 10 * (1 - 1 / (8 * Math.PI)) * Math.Cos(x1) + 10;
            return -(branin + 10 * Square(Math.Log10(p.GetDouble("learningRate")) + 2.5) + optimizerPenalty[p.GetString("optimizer")]);
        }, -0.397887);
    }

    /// <summary>
    /// A smooth made-up validation accuracy of a small CNN: bigger is better up to a point, dropout near 0.25, and the
    /// best learning rate depends on the optimizer (1e-3 for Adam, 3e-2 for SGD); optimum 0.95.
    /// </summary>
    private static SyntheticObjective CnnLikeAccuracy()
    {
        var space = new ParameterSpace(
            ParameterDimension.Categorical("blocks", "1", "2", "3"),
            ParameterDimension.Categorical("filters", "8", "16", "32", "64"),
            ParameterDimension.Categorical("kernel", "3", "5"),
            ParameterDimension.Categorical("dense", "0", "32", "64", "128"),
            ParameterDimension.Categorical("optimizer", "adam", "sgd"),
            ParameterDimension.Categorical("batchSize", "32", "64", "128"),
            ParameterDimension.FloatRange("learningRate", 1e-4, 0.3, log: true),
            ParameterDimension.FloatRange("dropout", 0, 0.5));
        return new("cnn-like accuracy", space, p =>
        {
            var adam = p.GetString("optimizer") == "adam";
            var bestLr = adam ? 1e-3 : 3e-2;
            return 0.95
                - 0.03 * (3 - int.Parse(p.GetString("blocks")))
                - 0.015 * (3 - Math.Log2(int.Parse(p.GetString("filters")) / 8.0))
                - (p.GetString("kernel") == "3" ? 0 : 0.005)
                - p.GetString("dense") switch { "0" => 0.02, "32" => 0.005, _ => 0 }
                - 0.04 * Square(Math.Log10(p.GetDouble("learningRate")) - Math.Log10(bestLr))
                - (adam ? 0 : 0.005)
                - 0.1 * Square(p.GetDouble("dropout") - 0.25)
                - p.GetString("batchSize") switch { "128" => 0.004, "32" => 0.002, _ => 0 };
        }, 0.95);
    }

    private static double Square(double x) => x * x;
}
