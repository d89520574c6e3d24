using System.Globalization;
using AutoMLStudio.Engine.Spaces;

namespace AutoMLStudio.Engine.Search;

/// <summary>
/// The cell-based image CNN space as a flat <see cref="ParameterSpace"/>, so that the ask/tell strategies can search
/// it, and the two conversions between its points and <see cref="TrialConfig"/>. Conditional choices are made flat:
/// the three block operations always exist (those past <c>blocksPerStage</c> are ignored), <c>nesterov</c> only
/// matters for sgd, <c>weightDecay</c> only with <c>useWeightDecay</c>, and the learning rate is a position between
/// the chosen optimizer's lowest and highest rate on a log scale, so one dimension serves every optimizer's range.
/// <para>
/// One cell (the operations of up to three blocks) is repeated in every stage, as in NASNet and DARTS: it keeps the
/// space small enough for the few tens of trials a studio can afford. The stored <see cref="CellStage"/>s list each
/// stage's operations, so a strategy that edits networks directly can still vary them stage by stage.
/// </para>
/// </summary>
public static class CnnParameterSpace
{
    /// <summary>Most stages.</summary>
    public const int MaxStages = 3;

    /// <summary>Most blocks per stage.</summary>
    public const int MaxBlocksPerStage = 3;

    private static readonly string[] WidthChoices = ["8", "16", "24", "32", "48", "64"];
    private static readonly string[] MultiplierChoices = ["1", "1.5", "2"];
    private static readonly string[] DenseChoices = ["0", "32", "64", "128"];
    private static readonly string[] BatchChoices = ["32", "64", "128"];
    private static readonly string[] OptimizerChoices = ["adam", "adamw", "sgd"];
    private static readonly string[] ScheduleChoices = ["constant", "cosine", "onecycle"];
    private static readonly string[] SmoothingChoices = ["0", "0.05", "0.1", "0.15"];
    private static readonly string[] CropChoices = ["0", "2", "4"];
    private static readonly string[] ErasingChoices = ["0", "0.25", "0.5"];
    private static readonly string[] YesNo = ["true", "false"];
    private const double WeightDecayMin = 1e-5;
    private const double WeightDecayMax = 1e-2;

    /// <summary>
    /// The space for <paramref name="ctx"/>. Architecture: <c>stages</c> (the fewest that bring the input down to
    /// <see cref="CnnSearchSpace.MaxFinalFeatureSize"/>, to 3), <c>blocksPerStage</c> (1 to 3), <c>block1Op</c> ..
    /// <c>block3Op</c> (<see cref="CellOps.All"/>), <c>baseWidth</c> (8/16/24/32/48/64), <c>widthMultiplier</c> per stage
    /// (1/1.5/2), <c>downsample</c> (max/avg/stride), <c>batchNorm</c>, <c>head</c> (flatten/gap), <c>denseUnits</c>
    /// (0/32/64/128), <c>dropout</c> (0 to 0.5). Training: <c>optimizer</c> (adam/adamw/sgd), <c>nesterov</c>,
    /// <c>learningRatePosition</c> (see <see cref="LearningRateRange"/>), <c>schedule</c> (constant/cosine/onecycle),
    /// <c>useWeightDecay</c>, <c>weightDecay</c> (log 1e-5..1e-2), <c>batchSize</c> (32/64/128), <c>labelSmoothing</c>
    /// (0/0.05/0.1/0.15), <c>flip</c>, <c>cropPadding</c> (0/2/4 px), <c>erasing</c> (probability 0/0.25/0.5).
    /// </summary>
    public static ParameterSpace Create(SearchSpaceContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var dimensions = new List<ParameterDimension>
        {
            ParameterDimension.IntRange("stages", MinStages(ctx.InputSize), MaxStages),
            ParameterDimension.IntRange("blocksPerStage", 1, MaxBlocksPerStage),
        };
        for (var b = 1; b <= MaxBlocksPerStage; b++) dimensions.Add(ParameterDimension.Categorical($"block{b}Op", [.. CellOps.All]));
        dimensions.AddRange(
        [
            ParameterDimension.Categorical("baseWidth", WidthChoices),
            ParameterDimension.Categorical("widthMultiplier", MultiplierChoices),
            ParameterDimension.Categorical("downsample", [.. CellOps.Downsamplings]),
            ParameterDimension.Categorical("batchNorm", YesNo),
            ParameterDimension.Categorical("head", [.. CellOps.Heads]),
            ParameterDimension.Categorical("denseUnits", DenseChoices),
            ParameterDimension.FloatRange("dropout", 0, 0.5),
            ParameterDimension.Categorical("optimizer", OptimizerChoices),
            ParameterDimension.Categorical("nesterov", YesNo),
            ParameterDimension.FloatRange("learningRatePosition", 0, 1),
            ParameterDimension.Categorical("schedule", ScheduleChoices),
            ParameterDimension.Categorical("useWeightDecay", YesNo),
            ParameterDimension.FloatRange("weightDecay", WeightDecayMin, WeightDecayMax, log: true),
            ParameterDimension.Categorical("batchSize", BatchChoices),
            ParameterDimension.Categorical("labelSmoothing", SmoothingChoices),
            ParameterDimension.Categorical("flip", YesNo),
            ParameterDimension.Categorical("cropPadding", CropChoices),
            ParameterDimension.Categorical("erasing", ErasingChoices),
        ]);
        return new ParameterSpace(dimensions);
    }

    /// <summary>
    /// The trial configuration at point <paramref name="p"/> of <see cref="Create"/>'s space. Stage <c>i</c> (from 0)
    /// is <c>round(baseWidth * widthMultiplier^i)</c> wide and runs the first <c>blocksPerStage</c> block operations;
    /// it ends with the chosen downsampling while its map is wider than <see cref="CnnSearchSpace.MinDownsampledSize"/>
    /// (otherwise with none). Dropout is rounded to 0.05; epochs are <see cref="SearchSpaceContext.MaxEpochs"/>.
    /// </summary>
    public static TrialConfig Decode(ParameterSet p, SearchSpaceContext ctx)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(ctx);
        var stageCount = Math.Clamp(p.GetInt("stages"), MinStages(ctx.InputSize), MaxStages);
        var blocks = Math.Clamp(p.GetInt("blocksPerStage"), 1, MaxBlocksPerStage);
        var ops = Enumerable.Range(1, blocks).Select(b => p.GetString($"block{b}Op")).ToArray();
        var baseWidth = Int(p, "baseWidth");
        var multiplier = double.Parse(p.GetString("widthMultiplier"), CultureInfo.InvariantCulture);
        var downsample = p.GetString("downsample");

        var stages = new List<CellStage>(stageCount);
        var size = ctx.InputSize;
        for (var s = 0; s < stageCount; s++)
        {
            var width = (int)Math.Round(baseWidth * Math.Pow(multiplier, s), MidpointRounding.AwayFromZero);
            var shrinks = size > CnnSearchSpace.MinDownsampledSize;
            if (shrinks) size = Downsampled(size, downsample);
            stages.Add(new CellStage(width, ops, shrinks ? downsample : "none"));
        }

        var dropout = Math.Round(Math.Round(p.GetDouble("dropout") / 0.05) * 0.05, 2);
        var architecture = new CnnArchitecture(ctx.InputChannels, ctx.InputSize, ctx.ClassCount, [], Int(p, "denseUnits"), dropout,
            (float[])ctx.Mean.Clone(), (float[])ctx.Std.Clone(), stages, Flag(p, "batchNorm"), p.GetString("head"));

        var optimizer = p.GetString("optimizer");
        var (low, high) = LearningRateRange(optimizer);
        var learningRate = Math.Exp(Math.Log(low) + p.GetDouble("learningRatePosition") * (Math.Log(high) - Math.Log(low)));
        var augmentation = new AugmentationSettings(Flag(p, "flip"), Int(p, "cropPadding"), Number(p, "erasing"));
        var training = new TrainingSettings(optimizer, learningRate, Flag(p, "useWeightDecay") ? p.GetDouble("weightDecay") : 0.0,
            Int(p, "batchSize"), ctx.MaxEpochs, p.GetString("schedule"), Number(p, "labelSmoothing"), augmentation,
            Nesterov: optimizer == "sgd" && Flag(p, "nesterov"));
        return new TrialConfig(architecture, training);
    }

    /// <summary>
    /// The point of <see cref="Create"/>'s space for a stored configuration, so that it can be told to a strategy.
    /// A cell configuration of this space decodes back to itself; one of the first space (plain conv blocks) maps to
    /// its nearest cell: one conv block per stage at the first block's kernel and width. Unused dimensions take fixed
    /// values inside their ranges; they are ignored when decoded.
    /// </summary>
    /// <exception cref="ArgumentException">A pretrained backbone, which is no point of this space.</exception>
    public static ParameterSet Encode(TrialConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var a = config.Architecture;
        if (a.Backbone is not null) throw new ArgumentException($"A pretrained {a.Backbone} is not a point of the studio's CNN space.", nameof(config));
        var t = config.Training;
        var values = new List<KeyValuePair<string, object>>();
        if (a.Stages.Count > 0)
        {
            var first = a.Stages[0];
            values.Add(new("stages", (double)Math.Min(a.Stages.Count, MaxStages)));
            values.Add(new("blocksPerStage", (double)Math.Clamp(first.Ops.Count, 1, MaxBlocksPerStage)));
            for (var b = 1; b <= MaxBlocksPerStage; b++) values.Add(new($"block{b}Op", b <= first.Ops.Count ? first.Ops[b - 1] : CellOps.Conv3));
            values.Add(new("baseWidth", Nearest(WidthChoices, first.Width)));
            values.Add(new("widthMultiplier", Nearest(MultiplierChoices, a.Stages.Count > 1 ? (double)a.Stages[1].Width / first.Width : 2)));
            values.Add(new("downsample", a.Stages.Select(s => s.Downsample).FirstOrDefault(d => d != "none") ?? "max"));
            values.Add(new("batchNorm", Text(a.BatchNorm)));
            values.Add(new("head", a.Head));
        }
        else
        {
            var first = a.Blocks.Count > 0 ? a.Blocks[0] : new ConvBlockSpec(8, 3, true, true);
            values.Add(new("stages", (double)Math.Clamp(a.Blocks.Count, 1, MaxStages)));
            values.Add(new("blocksPerStage", 1.0));
            for (var b = 1; b <= MaxBlocksPerStage; b++) values.Add(new($"block{b}Op", first.Kernel == 5 ? CellOps.Conv5 : CellOps.Conv3));
            values.Add(new("baseWidth", Nearest(WidthChoices, first.Filters)));
            values.Add(new("widthMultiplier", Nearest(MultiplierChoices, a.Blocks.Count > 1 ? (double)a.Blocks[1].Filters / first.Filters : 2)));
            values.Add(new("downsample", "max"));
            values.Add(new("batchNorm", Text(first.BatchNorm)));
            values.Add(new("head", "flatten"));
        }

        var (low, high) = LearningRateRange(t.Optimizer);
        var position = Math.Clamp((Math.Log(t.LearningRate) - Math.Log(low)) / (Math.Log(high) - Math.Log(low)), 0, 1);
        values.AddRange(
        [
            new("denseUnits", Nearest(DenseChoices, a.DenseUnits)),
            new("dropout", Math.Clamp(a.Dropout, 0, 0.5)),
            new("optimizer", OptimizerChoices.Contains(t.Optimizer) ? t.Optimizer : "adam"),
            new("nesterov", Text(t.Nesterov)),
            new("learningRatePosition", position),
            new("schedule", ScheduleChoices.Contains(t.Schedule) ? t.Schedule : "constant"),
            new("useWeightDecay", Text(t.WeightDecay > 0)),
            // Without weight decay the value is unused; the geometric middle of the range keeps the point inside the space.
            new("weightDecay", t.WeightDecay > 0 ? Math.Clamp(t.WeightDecay, WeightDecayMin, WeightDecayMax) : Math.Sqrt(WeightDecayMin * WeightDecayMax)),
            new("batchSize", Nearest(BatchChoices, t.BatchSize)),
            new("labelSmoothing", Nearest(SmoothingChoices, t.LabelSmoothing)),
            new("flip", Text(t.Augmentation.HorizontalFlip)),
            new("cropPadding", Nearest(CropChoices, t.Augmentation.CropPadding)),
            new("erasing", Nearest(ErasingChoices, t.Augmentation.ErasingProbability)),
        ]);
        return new ParameterSet(values);
    }

    /// <summary>Adam and AdamW 3e-4..3e-3, SGD (with momentum) 1e-2..1e-1 (for one-cycle, the peak rate).</summary>
    public static (double Low, double High) LearningRateRange(string optimizer) =>
        optimizer is "adam" or "adamw" ? (3e-4, 3e-3) : (1e-2, 1e-1);

    /// <summary>The fewest stages whose downsampling brings an input of <paramref name="inputSize"/> down to <see cref="CnnSearchSpace.MaxFinalFeatureSize"/>.</summary>
    public static int MinStages(int inputSize)
    {
        var stages = 1;
        // Stride-2 convs round up, so they shrink least: plan for them.
        for (var size = Downsampled(inputSize, "stride"); stages < MaxStages && size > CnnSearchSpace.MaxFinalFeatureSize; stages++)
            size = Downsampled(size, "stride");
        return stages;
    }

    /// <summary>
    /// For networks of plain conv blocks (the first space, and the envelopes <see cref="NacSearch"/> grows): the fewest
    /// blocks that, all pooling, bring the input down to <see cref="CnnSearchSpace.MaxFinalFeatureSize"/> (at most 3).
    /// </summary>
    public static int MinBlocks(SearchSpaceContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var minBlocks = 1;
        while (minBlocks < MaxStages && ctx.InputSize >> minBlocks > CnnSearchSpace.MaxFinalFeatureSize) minBlocks++;
        return minBlocks;
    }

    private static int Downsampled(int size, string downsample) => downsample == "stride" ? (size - 1) / 2 + 1 : size / 2;

    private static bool Flag(ParameterSet p, string name) => p.GetString(name) == "true";

    private static int Int(ParameterSet p, string name) => int.Parse(p.GetString(name), CultureInfo.InvariantCulture);

    private static double Number(ParameterSet p, string name) => double.Parse(p.GetString(name), CultureInfo.InvariantCulture);

    private static string Text(bool value) => value ? "true" : "false";

    private static string Nearest(string[] choices, double value) =>
        choices.MinBy(c => Math.Abs(double.Parse(c, CultureInfo.InvariantCulture) - value))!;
}
