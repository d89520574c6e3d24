using System.Globalization;

using AutoMLStudio.Engine.Tabular;
using AutoMLStudio.Engine.Text;
using AutoMLStudio.Engine.Training;

namespace AutoMLStudio.Engine.Spaces;

/// <summary>One-line, human-readable descriptions of trial configurations, for trial tables and model cards.</summary>
public static class TrialConfigDescription
{
    /// <summary>
    /// E.g. "stage 1: 2 x conv 3x3 (32), max-pool · stage 2: sep-conv 3x3, identity (64), stride-2 · BN · flatten 7x7
    /// -> 10"; repeated operations are counted, and a network of the first space reads "conv 5x5 (16) BN, pool · ...".
    /// </summary>
    public static string Architecture(CnnArchitecture a)
    {
        ArgumentNullException.ThrowIfNull(a);
        if (a.BackboneSpec() is { } backbone)
            return $"{Backbones.BackboneArchitectures.DisplayName(backbone.Architecture)} pretrained"
                   + (backbone.WorkingSize != a.InputSize ? $" · images upsampled to {backbone.WorkingSize}x{backbone.WorkingSize}" : "")
                   + $" · new head -> {a.ClassCount} classes";
        var parts = new List<string>();
        if (a.Stages.Count > 0)
        {
            parts.AddRange(a.Stages.Select((stage, i) =>
                $"stage {i + 1}: {Ops(stage.Ops)} ({stage.Width}){Downsampling(stage.Downsample)}"));
            if (a.BatchNorm) parts.Add("BN");
        }
        else
        {
            parts.AddRange(a.Blocks.Select(b => $"conv {b.Kernel}x{b.Kernel} ({b.Filters}){(b.BatchNorm ? " BN" : "")}{(b.Pool ? ", pool" : "")}"));
        }
        var (_, size) = a.FeatureMap();
        var head = a.Head == "gap" ? "global avg pool" : $"flatten {size}x{size}";
        if (a.DenseUnits > 0) head += $" -> dense {a.DenseUnits}";
        if (a.Dropout > 0) head += $" -> dropout {Number(a.Dropout)}";
        parts.Add($"{head} -> {a.ClassCount} classes");
        return string.Join(" · ", parts);
    }

    /// <summary>E.g. "MLP 2 x 64 · BN · dropout 0.1 · 3 numeric + 2 categorical inputs -> 3 classes" ("-> a number" for regression).</summary>
    public static string Architecture(TabularMlpArchitecture a)
    {
        ArgumentNullException.ThrowIfNull(a);
        var parts = new List<string> { a.HiddenLayers == 0 ? "linear" : $"MLP {a.HiddenLayers} x {a.HiddenWidth}" };
        if (a.BatchNorm) parts.Add("BN");
        if (a.Dropout > 0) parts.Add($"dropout {Number(a.Dropout)}");
        var inputs = a.Cardinalities.Count == 0 ? $"{a.NumericFeatures} numeric" : $"{a.NumericFeatures} numeric + {a.Cardinalities.Count} categorical";
        parts.Add($"{inputs} inputs -> {(a.Task == PredictionTask.Regression ? "a number" : $"{a.ClassCount} classes")}");
        return string.Join(" · ", parts);
    }

    /// <summary>E.g. "embedding-bag 64-d + bigrams · hidden 32 · up to 200 words -> 2 classes" or "conv 3 x 128 over 64-d embeddings ...".</summary>
    public static string Architecture(TextClassifierArchitecture a)
    {
        ArgumentNullException.ThrowIfNull(a);
        var parts = new List<string>();
        if (a.Family == TextModelFamilies.Cnn)
            parts.Add($"conv {a.Kernel} x {a.Filters} over {a.EmbeddingWidth}-d embeddings, max-pool");
        else
        {
            parts.Add($"embedding-bag {a.EmbeddingWidth}-d{(a.BigramBuckets > 0 ? " + bigrams" : "")}");
            if (a.HiddenUnits > 0) parts.Add($"hidden {a.HiddenUnits}");
        }
        if (a.Dropout > 0) parts.Add($"dropout {Number(a.Dropout)}");
        parts.Add($"up to {a.MaxLength} words -> {a.ClassCount} classes");
        return string.Join(" · ", parts);
    }

    /// <summary>E.g. "adamw lr 0.001 cosine · wd 0.005 · batch 64 · smoothing 0.1 · flip, crop 2 px, erase 25%".</summary>
    public static string Training(TrainingSettings t)
    {
        ArgumentNullException.ThrowIfNull(t);
        var optimizer = t is { Optimizer: "sgd", Nesterov: true } ? "sgd nesterov" : t.Optimizer;
        var parts = new List<string> { $"{optimizer} lr {Number(t.LearningRate)} {t.Schedule}" };
        if (t.WeightDecay > 0) parts.Add($"wd {Number(t.WeightDecay)}");
        parts.Add($"batch {t.BatchSize}");
        if (t.LabelSmoothing > 0) parts.Add($"smoothing {Number(t.LabelSmoothing)}");
        var augmentation = new List<string>();
        if (t.Augmentation.HorizontalFlip) augmentation.Add("flip");
        if (t.Augmentation.CropPadding > 0) augmentation.Add($"crop {t.Augmentation.CropPadding} px");
        if (t.Augmentation.ErasingProbability > 0) augmentation.Add($"erase {Number(t.Augmentation.ErasingProbability * 100)}%");
        if (augmentation.Count > 0) parts.Add(string.Join(", ", augmentation));
        return string.Join(" · ", parts);
    }

    /// <summary>The training settings and, for a trial that starts from trained weights, which layers learn and how fast.</summary>
    public static string Training(TrialConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var text = Training(config.Training);
        if (config.FineTune is not { } fineTune) return text;
        text += $" · {LayersThatLearn(fineTune)}";
        return fineTune.LearningRateScale != 1 && fineTune.Train != FineTuneSettings.Head
            ? $"{text} (pretrained at lr x {Number(fineTune.LearningRateScale)})"
            : text;
    }

    /// <summary>"only the new head learns", "last stage and head learn" or "every layer learns".</summary>
    public static string LayersThatLearn(FineTuneSettings fineTune)
    {
        ArgumentNullException.ThrowIfNull(fineTune);
        return fineTune.Train switch
        {
            FineTuneSettings.Head => "only the new head learns",
            FineTuneSettings.Partial => "last stage and head learn",
            _ => "every layer learns",
        };
    }

    // Runs of the same operation are counted: [conv, conv, sep] -> "2 x conv 3x3, sep-conv 3x3".
    private static string Ops(IReadOnlyList<string> ops)
    {
        var runs = new List<string>();
        for (var i = 0; i < ops.Count;)
        {
            var length = 1;
            while (i + length < ops.Count && ops[i + length] == ops[i]) length++;
            runs.Add(length > 1 ? $"{length} x {CellOps.Describe(ops[i])}" : CellOps.Describe(ops[i]));
            i += length;
        }
        return runs.Count == 0 ? "no blocks" : string.Join(", ", runs);
    }

    private static string Downsampling(string downsample) => downsample switch
    {
        "max" => ", max-pool",
        "avg" => ", avg-pool",
        "stride" => ", stride-2",
        _ => "",
    };

    private static string Number(double value) => value.ToString("G3", CultureInfo.InvariantCulture);
}
