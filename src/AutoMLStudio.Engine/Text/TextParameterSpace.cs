using AutoMLStudio.Engine.Search;
using AutoMLStudio.Engine.Spaces;
using static AutoMLStudio.Engine.Search.SpaceValues;

namespace AutoMLStudio.Engine.Text;

/// <summary>What the text search space needs to know about the data and the budget.</summary>
/// <param name="VocabularySize">The fitted tokenizer's <see cref="TextTokenizer.Size"/>.</param>
/// <param name="ClassCount">Classes.</param>
/// <param name="MaxEpochs">Epochs every trial trains.</param>
public sealed record TextSpaceContext(int VocabularySize, int ClassCount, int MaxEpochs)
{
    /// <summary>Hashed bigram buckets when a trial uses bigrams: twice the vocabulary, between 256 and 16,384.</summary>
    public int BigramBuckets => Math.Clamp(2 * VocabularySize, 256, 16_384);
}

/// <summary>
/// The text classifier space as a flat <see cref="ParameterSpace"/>: <c>family</c> (embedding-bag or CNN),
/// <c>embeddingWidth</c> 32/64/128, <c>maxLength</c> 64/128/256 words, <c>bigrams</c> and <c>hiddenUnits</c>
/// 0/64/128 (embedding-bag only), <c>kernel</c> 3/5 and <c>filters</c> 32/64/128 (CNN only), <c>dropout</c> 0..0.5,
/// <c>learningRate</c> (Adam, log 3e-4..1e-2), <c>batchSize</c> 16/32/64. Dimensions a family does not use are
/// ignored when decoding, which keeps the space flat for the strategies.
/// </summary>
public static class TextParameterSpace
{
    private static readonly string[] Families = [TextModelFamilies.EmbeddingBag, TextModelFamilies.Cnn];
    private static readonly string[] WidthChoices = Texts(32, 64, 128);
    private static readonly string[] LengthChoices = Texts(64, 128, 256);
    private static readonly string[] HiddenChoices = Texts(0, 64, 128);
    private static readonly string[] KernelChoices = Texts(3, 5);
    private static readonly string[] FilterChoices = Texts(32, 64, 128);
    private static readonly string[] BatchChoices = Texts(16, 32, 64);
    private const double LearningRateMin = 3e-4;
    private const double LearningRateMax = 1e-2;

    /// <summary>The space.</summary>
    public static ParameterSpace Create() => new(
        ParameterDimension.Categorical("family", Families),
        ParameterDimension.Categorical("embeddingWidth", WidthChoices),
        ParameterDimension.Categorical("maxLength", LengthChoices),
        ParameterDimension.Categorical("bigrams", YesNo),
        ParameterDimension.Categorical("hiddenUnits", HiddenChoices),
        ParameterDimension.Categorical("kernel", KernelChoices),
        ParameterDimension.Categorical("filters", FilterChoices),
        ParameterDimension.FloatRange("dropout", 0, 0.5),
        ParameterDimension.FloatRange("learningRate", LearningRateMin, LearningRateMax, log: true),
        ParameterDimension.Categorical("batchSize", BatchChoices));

    /// <summary>The trial at point <paramref name="p"/>; dropout is rounded to 0.05, epochs are the context's.</summary>
    public static TextTrialConfig Decode(ParameterSet p, TextSpaceContext ctx)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(ctx);
        var bag = p.GetString("family") == TextModelFamilies.EmbeddingBag;
        var architecture = new TextClassifierArchitecture(
            p.GetString("family"), ctx.VocabularySize, ctx.ClassCount, Int(p, "maxLength"), Int(p, "embeddingWidth"),
            BigramBuckets: bag && Flag(p, "bigrams") ? ctx.BigramBuckets : 0,
            HiddenUnits: bag ? Int(p, "hiddenUnits") : 0,
            Kernel: bag ? 0 : Int(p, "kernel"),
            Filters: bag ? 0 : Int(p, "filters"),
            Dropout: Math.Round(p.GetDouble("dropout") / 0.05) * 0.05);
        return new TextTrialConfig(architecture,
            new TrainingSettings("adam", p.GetDouble("learningRate"), 0, Int(p, "batchSize"), ctx.MaxEpochs));
    }

    /// <summary>The point of the space a stored configuration came from (values clamped into the space), to tell a strategy.</summary>
    public static ParameterSet Encode(TextTrialConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var (a, t) = (config.Architecture, config.Training);
        return new ParameterSet(new KeyValuePair<string, object>[]
        {
            new("family", a.Family),
            new("embeddingWidth", Nearest(a.EmbeddingWidth, WidthChoices)),
            new("maxLength", Nearest(a.MaxLength, LengthChoices)),
            new("bigrams", Flag(a.BigramBuckets > 0)),
            new("hiddenUnits", Nearest(a.HiddenUnits, HiddenChoices)),
            // A family's unused dimensions take the first choice, as the CNN space does for blocks it does not have.
            new("kernel", a.Family == TextModelFamilies.Cnn ? Nearest(a.Kernel, KernelChoices) : KernelChoices[0]),
            new("filters", a.Family == TextModelFamilies.Cnn ? Nearest(a.Filters, FilterChoices) : FilterChoices[0]),
            new("dropout", Math.Clamp(a.Dropout, 0, 0.5)),
            new("learningRate", Math.Clamp(t.LearningRate, LearningRateMin, LearningRateMax)),
            new("batchSize", Nearest(t.BatchSize, BatchChoices)),
        });
    }
}
