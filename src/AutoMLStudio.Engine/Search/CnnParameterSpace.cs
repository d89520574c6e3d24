using System.Globalization;
using AutoMLStudio.Engine.Spaces;

namespace AutoMLStudio.Engine.Search;

/// <summary>
/// <see cref="CnnSearchSpace"/> as a flat <see cref="ParameterSpace"/>, so that the ask/tell strategies can search it,
/// and the two conversions between its points and <see cref="TrialConfig"/>. The ranges are those of
/// <see cref="CnnSearchSpace.Sample"/>. Conditional choices are made flat: every one of the three blocks always has
/// its dimensions (those past <c>blocks</c> are ignored), and the learning rate is a position between the chosen
/// optimizer's lowest and highest rate on a log scale, so one dimension serves both optimizers' ranges.
/// </summary>
public static class CnnParameterSpace
{
    /// <summary>Most convolution blocks.</summary>
    public const int MaxBlocks = 3;

    private static readonly string[] FilterChoices = ["8", "16", "32", "64"];
    private static readonly string[] DenseChoices = ["0", "32", "64", "128"];
    private static readonly string[] BatchChoices = ["32", "64", "128"];
    private static readonly string[] YesNo = ["true", "false"];
    private const double WeightDecayMin = 1e-5;
    private const double WeightDecayMax = 1e-3;

    /// <summary>
    /// The space for <paramref name="ctx"/>: <c>blocks</c> (the fewest that bring the input down to
    /// <see cref="CnnSearchSpace.MaxFinalFeatureSize"/>, to 3); per block <c>block{i}Filters</c>, <c>block{i}Kernel</c>,
    /// <c>block{i}BatchNorm</c>, <c>block{i}Pool</c>; <c>denseUnits</c>, <c>dropout</c>, <c>optimizer</c>,
    /// <c>learningRatePosition</c> (0 = the optimizer's lowest rate, 1 = its highest), <c>useWeightDecay</c>,
    /// <c>weightDecay</c> (log 1e-5..1e-3) and <c>batchSize</c>.
    /// </summary>
    public static ParameterSpace Create(SearchSpaceContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var dimensions = new List<ParameterDimension> { ParameterDimension.IntRange("blocks", MinBlocks(ctx), MaxBlocks) };
        for (var i = 1; i <= MaxBlocks; i++)
        {
            dimensions.Add(ParameterDimension.Categorical($"block{i}Filters", FilterChoices));
            dimensions.Add(ParameterDimension.Categorical($"block{i}Kernel", "3", "5"));
            dimensions.Add(ParameterDimension.Categorical($"block{i}BatchNorm", YesNo));
            dimensions.Add(ParameterDimension.Categorical($"block{i}Pool", YesNo));
        }
        dimensions.AddRange(
        [
            ParameterDimension.Categorical("denseUnits", DenseChoices),
            ParameterDimension.FloatRange("dropout", 0, 0.5),
            ParameterDimension.Categorical("optimizer", "adam", "sgd"),
            ParameterDimension.FloatRange("learningRatePosition", 0, 1),
            ParameterDimension.Categorical("useWeightDecay", YesNo),
            ParameterDimension.FloatRange("weightDecay", WeightDecayMin, WeightDecayMax, log: true),
            ParameterDimension.Categorical("batchSize", BatchChoices),
        ]);
        return new ParameterSpace(dimensions);
    }

    /// <summary>
    /// The trial configuration at point <paramref name="p"/> of <see cref="Create"/>'s space. As in
    /// <see cref="CnnSearchSpace.Sample"/>, a block pools where its map is at least 4 wide and either it asks to or the
    /// map would otherwise end wider than <see cref="CnnSearchSpace.MaxFinalFeatureSize"/>; dropout is rounded to 0.05;
    /// epochs are <see cref="SearchSpaceContext.MaxEpochs"/>.
    /// </summary>
    public static TrialConfig Decode(ParameterSet p, SearchSpaceContext ctx)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(ctx);
        var blockCount = Math.Clamp(p.GetInt("blocks"), MinBlocks(ctx), MaxBlocks);
        var blocks = new List<ConvBlockSpec>(blockCount);
        var size = ctx.InputSize;
        for (var i = 1; i <= blockCount; i++)
        {
            var mustPool = size >> (blockCount - i) > CnnSearchSpace.MaxFinalFeatureSize;
            var pool = size >= 4 && (mustPool || Flag(p, $"block{i}Pool"));
            if (pool) size /= 2;
            blocks.Add(new ConvBlockSpec(Int(p, $"block{i}Filters"), Int(p, $"block{i}Kernel"), Flag(p, $"block{i}BatchNorm"), pool));
        }

        var optimizer = p.GetString("optimizer");
        var (low, high) = LearningRateRange(optimizer);
        var learningRate = Math.Exp(Math.Log(low) + p.GetDouble("learningRatePosition") * (Math.Log(high) - Math.Log(low)));
        var weightDecay = Flag(p, "useWeightDecay") ? p.GetDouble("weightDecay") : 0.0;
        var dropout = Math.Round(Math.Round(p.GetDouble("dropout") / 0.05) * 0.05, 2);

        var architecture = new CnnArchitecture(ctx.InputChannels, ctx.InputSize, ctx.ClassCount, blocks, Int(p, "denseUnits"), dropout,
            (float[])ctx.Mean.Clone(), (float[])ctx.Std.Clone());
        return new TrialConfig(architecture, new TrainingSettings(optimizer, learningRate, weightDecay, Int(p, "batchSize"), ctx.MaxEpochs));
    }

    /// <summary>
    /// The point of <see cref="Create"/>'s space for a configuration of <see cref="CnnSearchSpace"/> (a trial stored before
    /// the strategies worked on parameter sets): so that it can be told to a strategy. Blocks it does not have take the
    /// first choices; they are ignored when decoded.
    /// </summary>
    public static ParameterSet Encode(TrialConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var a = config.Architecture;
        var t = config.Training;
        var values = new List<KeyValuePair<string, object>> { new("blocks", a.Blocks.Count) };
        for (var i = 1; i <= MaxBlocks; i++)
        {
            var block = i <= a.Blocks.Count ? a.Blocks[i - 1] : new ConvBlockSpec(8, 3, true, true);
            values.Add(new($"block{i}Filters", Text(block.Filters)));
            values.Add(new($"block{i}Kernel", Text(block.Kernel)));
            values.Add(new($"block{i}BatchNorm", block.BatchNorm ? "true" : "false"));
            values.Add(new($"block{i}Pool", block.Pool ? "true" : "false"));
        }
        var (low, high) = LearningRateRange(t.Optimizer);
        var position = Math.Clamp((Math.Log(t.LearningRate) - Math.Log(low)) / (Math.Log(high) - Math.Log(low)), 0, 1);
        values.AddRange(
        [
            new("denseUnits", Text(a.DenseUnits)),
            new("dropout", Math.Clamp(a.Dropout, 0, 0.5)),
            new("optimizer", t.Optimizer),
            new("learningRatePosition", position),
            new("useWeightDecay", t.WeightDecay > 0 ? "true" : "false"),
            // Without weight decay the value is unused; the geometric middle of the range keeps the point inside the space.
            new("weightDecay", t.WeightDecay > 0 ? Math.Clamp(t.WeightDecay, WeightDecayMin, WeightDecayMax) : Math.Sqrt(WeightDecayMin * WeightDecayMax)),
            new("batchSize", Text(t.BatchSize)),
        ]);
        return new ParameterSet(values);
    }

    /// <summary>Adam 3e-4..3e-3, SGD (with momentum) 1e-2..1e-1, as in <see cref="CnnSearchSpace.Sample"/>.</summary>
    public static (double Low, double High) LearningRateRange(string optimizer) =>
        optimizer == "adam" ? (3e-4, 3e-3) : (1e-2, 1e-1);

    /// <summary>The fewest blocks that, all pooling, bring the input down to <see cref="CnnSearchSpace.MaxFinalFeatureSize"/> (at most <see cref="MaxBlocks"/>).</summary>
    public static int MinBlocks(SearchSpaceContext ctx)
    {
        var minBlocks = 1;
        while (minBlocks < MaxBlocks && ctx.InputSize >> minBlocks > CnnSearchSpace.MaxFinalFeatureSize) minBlocks++;
        return minBlocks;
    }

    private static bool Flag(ParameterSet p, string name) => p.GetString(name) == "true";

    private static int Int(ParameterSet p, string name) => int.Parse(p.GetString(name), CultureInfo.InvariantCulture);

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
