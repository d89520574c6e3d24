using AutoMLStudio.Engine.Native;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AutoMLStudio.Engine.Text;

/// <summary>
/// The module of a <see cref="TextClassifierArchitecture"/>: <c>forward(ids [N, L] int64, 0 = padding)</c> returns
/// logits [N, classes]. Layers with parameters: <c>embedding</c>, then <c>hidden</c> (embedding-bag) or <c>conv</c>
/// (CNN), then <c>output</c>.
/// </summary>
public sealed class TextClassifier : Module<Tensor, Tensor>
{
    private readonly Embedding embedding;
    private readonly Linear? hidden;
    private readonly Conv1d? conv;
    private readonly Dropout? dropout;
    private readonly Linear output;
    private readonly bool _bag;

    /// <summary>Builds the module; initial weights come from TorchSharp's default generator, so seed it first.</summary>
    /// <exception cref="ArgumentException">The architecture is inconsistent.</exception>
    public TextClassifier(TextClassifierArchitecture a) : base(NativeModuleName.AfterLoading(nameof(TextClassifier)))
    {
        ArgumentNullException.ThrowIfNull(a);
        Validate(a);
        Architecture = a;
        _bag = a.Family == TextModelFamilies.EmbeddingBag;

        // Layer initialisers leave temporaries; a scope frees them now. Parameters are detached to outlive it.
        using var scope = torch.NewDisposeScope();
        embedding = Embedding(a.EmbeddingRows, a.EmbeddingWidth, padding_idx: TextTokenizer.PaddingId);
        using (torch.no_grad())
        {
            // torch's N(0, 1) start makes every filler word as loud as a telling one; a mean of such vectors buries the
            // few words that matter, and a bag needs many epochs to quiet the rest. Scaled like a linear layer's inputs, it learns in a few.
            var weight = embedding.weight!;
            nn.init.normal_(weight, 0, 1 / Math.Sqrt(a.EmbeddingWidth));
            weight[TextTokenizer.PaddingId].zero_();
        }
        long features = a.EmbeddingWidth;
        if (_bag && a.HiddenUnits > 0)
        {
            hidden = Linear(features, a.HiddenUnits);
            features = a.HiddenUnits;
        }
        if (!_bag)
        {
            conv = Conv1d(a.EmbeddingWidth, a.Filters, a.Kernel, padding: a.Kernel / 2);
            features = a.Filters;
        }
        if (a.Dropout > 0) dropout = Dropout(a.Dropout);
        output = Linear(features, a.ClassCount);
        RegisterComponents();
        scope.Detach(parameters());
    }

    /// <summary>The architecture this module was built from.</summary>
    public TextClassifierArchitecture Architecture { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor ids)
    {
        var embedded = embedding.forward(ids); // [N, L, D]; padding rows are zero
        Tensor features;
        if (_bag)
        {
            // Mean over real tokens only, so padding does not dilute short texts; an empty text gives a zero vector.
            var tokens = ids.ne(HeldScalars.PaddingId).sum(1, keepdim: true).clamp_min(HeldScalars.OneInteger).to_type(embedded.dtype);
            features = embedded.sum(1) / tokens;
            if (hidden is not null) features = nn.functional.relu(hidden.forward(features));
        }
        else
        {
            features = nn.functional.relu(conv!.forward(embedded.permute(0, 2, 1))).amax([2]);
        }
        if (dropout is not null) features = dropout.forward(features);
        return output.forward(features);
    }

    private static void Validate(TextClassifierArchitecture a)
    {
        if (a.Family is not (TextModelFamilies.EmbeddingBag or TextModelFamilies.Cnn))
            throw new ArgumentException($"Unknown text model family '{a.Family}'. Valid families: {TextModelFamilies.EmbeddingBag}, {TextModelFamilies.Cnn}.");
        if (a.VocabularySize < 2 || a.ClassCount < 2 || a.MaxLength < 1 || a.EmbeddingWidth < 1)
            throw new ArgumentException("A text model needs a vocabulary of at least padding and unknown, 2 classes, a length of 1 and an embedding width of 1.");
        if (a.BigramBuckets < 0 || a.HiddenUnits < 0) throw new ArgumentException("Bigram buckets and hidden units must not be negative.");
        if (a.Family == TextModelFamilies.Cnn && (a.Filters < 1 || a.Kernel < 1 || a.Kernel % 2 == 0))
            throw new ArgumentException("A text CNN needs at least one filter and an odd kernel.");
        if (a.Dropout is < 0 or >= 1) throw new ArgumentException("Dropout must be in [0, 1).");
    }
}
