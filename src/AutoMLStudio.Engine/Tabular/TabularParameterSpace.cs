using AutoMLStudio.Engine.Search;
using AutoMLStudio.Engine.Spaces;
using AutoMLStudio.Engine.Training;
using static AutoMLStudio.Engine.Search.SpaceValues;

namespace AutoMLStudio.Engine.Tabular;

/// <summary>What the tabular search space needs to know about the data and the budget.</summary>
/// <param name="NumericFeatures">Numeric inputs of the fitted preprocessing plan.</param>
/// <param name="Cardinalities">Categorical inputs' cardinalities of the plan.</param>
/// <param name="Task">Classification or regression.</param>
/// <param name="ClassCount">Classes (classification).</param>
/// <param name="MaxEpochs">Epochs every trial trains.</param>
public sealed record TabularSpaceContext(int NumericFeatures, IReadOnlyList<int> Cardinalities, PredictionTask Task, int ClassCount, int MaxEpochs)
{
    /// <summary>The context of a plan fitted on the search's training split.</summary>
    public static TabularSpaceContext For(TabularPreprocessingPlan plan, PredictionTask task, int classCount, int maxEpochs)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new TabularSpaceContext(plan.Numeric.Count, plan.Cardinalities, task, classCount, maxEpochs);
    }
}

/// <summary>
/// The tabular MLP space as a flat <see cref="ParameterSpace"/> for the ask/tell strategies: <c>hiddenLayers</c> 1..3,
/// <c>hiddenWidth</c> 32/64/128/256, <c>batchNorm</c>, <c>dropout</c> 0..0.5, <c>learningRate</c> (Adam, log
/// 1e-4..1e-2), <c>useWeightDecay</c> and <c>weightDecay</c> (log 1e-6..1e-3), <c>batchSize</c> 32..256.
/// The space is the same for every table; the data's shape comes in through <see cref="TabularSpaceContext"/> when decoding.
/// </summary>
public static class TabularParameterSpace
{
    private static readonly string[] WidthChoices = Texts(32, 64, 128, 256);
    private static readonly string[] BatchChoices = Texts(32, 64, 128, 256);
    private const double WeightDecayMin = 1e-6;
    private const double WeightDecayMax = 1e-3;

    /// <summary>The space.</summary>
    public static ParameterSpace Create() => new(
        ParameterDimension.IntRange("hiddenLayers", 1, 3),
        ParameterDimension.Categorical("hiddenWidth", WidthChoices),
        ParameterDimension.Categorical("batchNorm", YesNo),
        ParameterDimension.FloatRange("dropout", 0, 0.5),
        ParameterDimension.FloatRange("learningRate", 1e-4, 1e-2, log: true),
        ParameterDimension.Categorical("useWeightDecay", YesNo),
        ParameterDimension.FloatRange("weightDecay", WeightDecayMin, WeightDecayMax, log: true),
        ParameterDimension.Categorical("batchSize", BatchChoices));

    /// <summary>The trial at point <paramref name="p"/>; dropout is rounded to 0.05, epochs are the context's.</summary>
    public static TabularTrialConfig Decode(ParameterSet p, TabularSpaceContext ctx)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(ctx);
        var architecture = new TabularMlpArchitecture(ctx.NumericFeatures, [.. ctx.Cardinalities], ctx.Task, ctx.ClassCount,
            p.GetInt("hiddenLayers"), Int(p, "hiddenWidth"), Flag(p, "batchNorm"), Math.Round(p.GetDouble("dropout") / 0.05) * 0.05);
        var weightDecay = Flag(p, "useWeightDecay") ? p.GetDouble("weightDecay") : 0;
        return new TabularTrialConfig(architecture,
            new TrainingSettings("adam", p.GetDouble("learningRate"), weightDecay, Int(p, "batchSize"), ctx.MaxEpochs));
    }

    /// <summary>The point of the space a stored configuration came from (values clamped into the space), to tell a strategy.</summary>
    public static ParameterSet Encode(TabularTrialConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var (a, t) = (config.Architecture, config.Training);
        return new ParameterSet(new KeyValuePair<string, object>[]
        {
            new("hiddenLayers", Math.Clamp(a.HiddenLayers, 1, 3)),
            new("hiddenWidth", Nearest(a.HiddenWidth, WidthChoices)),
            new("batchNorm", Flag(a.BatchNorm)),
            new("dropout", Math.Clamp(a.Dropout, 0, 0.5)),
            new("learningRate", Math.Clamp(t.LearningRate, 1e-4, 1e-2)),
            new("useWeightDecay", Flag(t.WeightDecay > 0)),
            // Without weight decay the value is unused; the geometric middle keeps the point inside the space.
            new("weightDecay", t.WeightDecay > 0 ? Math.Clamp(t.WeightDecay, WeightDecayMin, WeightDecayMax) : Math.Sqrt(WeightDecayMin * WeightDecayMax)),
            new("batchSize", Nearest(t.BatchSize, BatchChoices)),
        });
    }
}
