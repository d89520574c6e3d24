namespace AutoMLStudio.Engine.Spaces;

/// <summary>
/// One plain convolution block of the first image space: conv (same padding) -> optional batch norm -> ReLU ->
/// optional 2x2 max pool. Kept so that trial configurations and model cards stored before the cell space still build
/// the very same network (same layers, same weight names).
/// </summary>
/// <param name="Filters">Output channels.</param>
/// <param name="Kernel">Odd kernel side (3 or 5); padding is <c>Kernel / 2</c> so the spatial size is kept.</param>
/// <param name="BatchNorm">Batch norm after the conv (the conv then has no bias).</param>
/// <param name="Pool">2x2 max pool with stride 2 at the end of the block (floors odd sizes).</param>
public sealed record ConvBlockSpec(int Filters, int Kernel, bool BatchNorm, bool Pool);

/// <summary>
/// One stage of the cell space: blocks at one width and resolution, then an optional downsampling step.
/// See <see cref="CellOps"/> for the operations and <see cref="Models.CnnModelFactory"/> for how a stage is wired.
/// </summary>
/// <param name="Width">Channels of every block of the stage.</param>
/// <param name="Ops">One operation per block, in order (names of <see cref="CellOps"/>).</param>
/// <param name="Downsample">What ends the stage: <c>none</c>, <c>max</c> / <c>avg</c> (2x2 pool, stride 2) or
/// <c>stride</c> (3x3 conv with stride 2, padding 1, same width, followed by batch norm when on and ReLU).</param>
public sealed record CellStage(int Width, IReadOnlyList<string> Ops, string Downsample);

/// <summary>The block operations of the cell space and the downsampling and head choices, by the names stored in JSON.</summary>
public static class CellOps
{
    /// <summary>3x3 convolution.</summary>
    public const string Conv3 = "conv3x3";

    /// <summary>5x5 convolution.</summary>
    public const string Conv5 = "conv5x5";

    /// <summary>3x3 depthwise convolution followed by a 1x1 pointwise one.</summary>
    public const string SepConv3 = "sepconv3x3";

    /// <summary>5x5 depthwise convolution followed by a 1x1 pointwise one.</summary>
    public const string SepConv5 = "sepconv5x5";

    /// <summary>3x3 convolution with dilation 2 (a 5x5 view for the price of 3x3).</summary>
    public const string DilConv3 = "dilconv3x3";

    /// <summary>No operation: the block passes its input on.</summary>
    public const string Identity = "identity";

    /// <summary>3x3 max pool, stride 1, same padding.</summary>
    public const string MaxPool3 = "maxpool3x3";

    /// <summary>3x3 average pool, stride 1, same padding.</summary>
    public const string AvgPool3 = "avgpool3x3";

    /// <summary>Every block operation, in the order the search space lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [Conv3, Conv5, SepConv3, SepConv5, DilConv3, Identity, MaxPool3, AvgPool3];

    /// <summary>Downsampling choices that end a stage (<c>none</c> is decided by the map size, not searched).</summary>
    public static IReadOnlyList<string> Downsamplings { get; } = ["max", "avg", "stride"];

    /// <summary>Heads: flatten the last map, or global average pooling.</summary>
    public static IReadOnlyList<string> Heads { get; } = ["flatten", "gap"];

    /// <summary>Whether <paramref name="op"/> is a convolution (it has weights and can change the channel count).</summary>
    public static bool IsConvolution(string op) => op is Conv3 or Conv5 or SepConv3 or SepConv5 or DilConv3;

    /// <summary>A short readable name, e.g. "sep-conv 3x3".</summary>
    public static string Describe(string op) => op switch
    {
        Conv3 => "conv 3x3",
        Conv5 => "conv 5x5",
        SepConv3 => "sep-conv 3x3",
        SepConv5 => "sep-conv 5x5",
        DilConv3 => "dil-conv 3x3",
        Identity => "identity",
        MaxPool3 => "max-pool 3x3",
        AvgPool3 => "avg-pool 3x3",
        _ => op,
    };
}

/// <summary>
/// A small image CNN. Normalisation with <paramref name="Mean"/> / <paramref name="Std"/> (per channel) is part of
/// the model, so it takes raw pixels in [0, 1]. A cell network has <paramref name="Stages"/> (and no
/// <paramref name="Blocks"/>); a network stored before the cell space has <paramref name="Blocks"/> and no stages,
/// and the members added since take defaults that build it exactly as before.
/// </summary>
/// <param name="InputChannels">1 (grayscale) or 3 (RGB).</param>
/// <param name="InputSize">Side of the square input.</param>
/// <param name="ClassCount">Number of output logits.</param>
/// <param name="Blocks">Plain convolution blocks (the first space); empty for cell networks.</param>
/// <param name="DenseUnits">Hidden units of the dense layer; 0 means none.</param>
/// <param name="Dropout">Dropout probability before the output layer.</param>
/// <param name="Mean">Per-channel mean subtracted inside the model.</param>
/// <param name="Std">Per-channel standard deviation divided by inside the model.</param>
/// <param name="Stages">Cell stages, in order; when not empty, <paramref name="Blocks"/> must be empty.</param>
/// <param name="BatchNorm">Batch norm after every convolution of the cell stages (those convolutions then have no bias).</param>
/// <param name="Head"><c>flatten</c> (keeps where a pattern is; what wins on small images) or <c>gap</c> (global average pooling).</param>
/// <param name="Backbone">
/// A pretrained standard architecture (<see cref="Backbones.BackboneArchitectures"/>) with a new head for
/// <paramref name="ClassCount"/> classes instead of a network of the studio's own space; <paramref name="Blocks"/> and
/// <paramref name="Stages"/> are then empty and the head, dropout, mean and std members are not used (the backbone
/// normalises with ImageNet's statistics). Null for the studio's networks.
/// </param>
public sealed record CnnArchitecture(
    int InputChannels,
    int InputSize,
    int ClassCount,
    IReadOnlyList<ConvBlockSpec> Blocks,
    int DenseUnits,
    double Dropout,
    float[] Mean,
    float[] Std,
    IReadOnlyList<CellStage>? Stages = null,
    bool BatchNorm = false,
    string Head = "flatten",
    string? Backbone = null)
{
    /// <summary>Cell stages; empty for a network of plain blocks.</summary>
    public IReadOnlyList<CellStage> Stages { get; init; } = Stages ?? [];

    /// <summary>The backbone's spec, for an architecture that is a pretrained backbone; else null.</summary>
    public Backbones.BackboneSpec? BackboneSpec() => Backbone is { } name ? new(name, InputChannels, InputSize, ClassCount) : null;

    /// <summary>Channels and side of the map that enters the head (before flattening or global pooling).</summary>
    public (int Channels, int Size) FeatureMap() => Models.CnnLayerPlan.FeatureMap(this);

    /// <summary>Number of features entering the dense head: the flattened map, or its channels after global pooling.</summary>
    public int FlattenedFeatures
    {
        get
        {
            var (channels, size) = FeatureMap();
            return Head == "gap" ? channels : channels * size * size;
        }
    }
}

/// <summary>Data augmentation applied to each training batch (never to validation or test images).</summary>
/// <param name="HorizontalFlip">Mirror each image left-right with probability 0.5.</param>
/// <param name="CropPadding">Pad by this many pixels (repeating the edge), then crop back to the input size at a random offset (0 = off).</param>
/// <param name="ErasingProbability">Chance that an image gets one random rectangle (2% to 25% of its area) set to the data mean.</param>
public sealed record AugmentationSettings(bool HorizontalFlip = false, int CropPadding = 0, double ErasingProbability = 0)
{
    /// <summary>No augmentation.</summary>
    public static AugmentationSettings None { get; } = new();

    /// <summary>Whether any augmentation is on.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsActive => HorizontalFlip || CropPadding > 0 || ErasingProbability > 0;
}

/// <summary>How a trial trains. Members after <paramref name="Epochs"/> were added later; their defaults are how older trials trained.</summary>
/// <param name="Optimizer">"adam", "adamw" (decoupled weight decay) or "sgd" (momentum 0.9).</param>
/// <param name="LearningRate">Learning rate (the peak rate for the one-cycle schedule).</param>
/// <param name="WeightDecay">Weight decay (0 for none): L2 for adam and sgd, decoupled for adamw.</param>
/// <param name="BatchSize">Mini-batch size.</param>
/// <param name="Epochs">Epochs to train.</param>
/// <param name="Schedule">"constant", "cosine" or "onecycle"; see <see cref="Training.LearningRateSchedule"/>.</param>
/// <param name="LabelSmoothing">Label smoothing of the training loss, 0 to 0.15.</param>
/// <param name="Augmentation">Training-batch augmentation; none when absent.</param>
/// <param name="Nesterov">Nesterov momentum for sgd.</param>
public sealed record TrainingSettings(
    string Optimizer,
    double LearningRate,
    double WeightDecay,
    int BatchSize,
    int Epochs,
    string Schedule = "constant",
    double LabelSmoothing = 0,
    AugmentationSettings? Augmentation = null,
    bool Nesterov = false)
{
    /// <summary>Training-batch augmentation (<see cref="AugmentationSettings.None"/> when absent).</summary>
    public AugmentationSettings Augmentation { get; init; } = Augmentation ?? AugmentationSettings.None;
}

/// <summary>Everything a trial needs to be reproduced: the architecture, the training settings and, for a trial that starts from a trained model, how it fine-tunes.</summary>
public sealed record TrialConfig(CnnArchitecture Architecture, TrainingSettings Training, FineTuneSettings? FineTune = null);

/// <summary>
/// A trial that starts from trained weights (every layer but the output layer, which is new for the new classes)
/// instead of random ones: a registered model's, or a pretrained backbone's. The weights themselves come with the
/// training request, not the configuration.
/// </summary>
/// <param name="Train">"full": every layer learns; "head": only the output layer learns, the rest keeps what it knew;
/// "partial" (backbones only): the last stage and the head learn.</param>
/// <param name="LearningRateScale">The pretrained layers learn at this share of the learning rate, the new head at the
/// full rate: layers that already know something are moved gently.</param>
public sealed record FineTuneSettings(string Train, double LearningRateScale = 1)
{
    public const string Full = "full", Head = "head", Partial = "partial";

    /// <summary>Modes of a search that starts from a registered model.</summary>
    public static IReadOnlyList<string> Modes { get; } = [Full, Head];

    /// <summary>Modes of a pretrained backbone: frozen, partly frozen, fully fine-tuned.</summary>
    public static IReadOnlyList<string> BackboneModes { get; } = [Head, Partial, Full];

    /// <summary>The backbone freeze mode this setting means.</summary>
    public Backbones.FreezeMode FreezeMode => Train switch
    {
        Head => Backbones.FreezeMode.Frozen,
        Partial => Backbones.FreezeMode.Partial,
        _ => Backbones.FreezeMode.Full,
    };
}

/// <summary>What the search space needs to know about the data and the budget.</summary>
public sealed record SearchSpaceContext(int InputChannels, int InputSize, int ClassCount, float[] Mean, float[] Std, int MaxEpochs);
