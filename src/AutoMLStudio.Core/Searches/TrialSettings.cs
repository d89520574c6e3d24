using System.Globalization;
using System.Text.Json;
using AutoMLStudio.Core.Searches.Pipelines;
using AutoMLStudio.Engine.Backbones;
using AutoMLStudio.Engine.Learners;
using AutoMLStudio.Engine.Spaces;
using AutoMLStudio.Engine.Tabular;
using AutoMLStudio.Engine.Text;
using AutoMLStudio.Engine.Training;

namespace AutoMLStudio.Core.Searches;

/// <summary>One setting of a trial's configuration, named and valued as a person reads it.</summary>
public sealed record TrialSetting(string Group, string Name, string Value);

/// <summary>
/// A trial's configuration as a list of named settings, so that trials of one search can be laid side by side row by row.
/// A setting has the same name in every trial of a task (a stage is named by its position), which is what lines them up;
/// inputs fixed by the data (image size, vocabulary, normalisation) are left out because no trial of a search differs there.
/// </summary>
public static class TrialSettings
{
    public const string Network = "Network";
    public const string Training = "Training";

    public static IReadOnlyList<TrialSetting> Of(Trial trial, SearchTask task)
    {
        try
        {
            return TaskPipelines.ModelsOf(task).Settings(trial);
        }
        // A trial whose stored configuration cannot be read is still compared on its results.
        catch (Exception ex) when (ex is JsonException or InvalidDataException or ArgumentException)
        {
            return Unreadable;
        }
    }

    /// <summary>An ensemble's one setting: its members and their weights, in words (<see cref="EnsembleLearner"/>).</summary>
    internal static IReadOnlyList<TrialSetting> Ensemble(Trial trial) =>
        [new TrialSetting(Network, "Ensemble", LearnerCatalog.Named(EnsembleLearner.LearnerName).Describe(trial.ConfigJson).Architecture)];

    /// <summary>
    /// A table's or text's trial: its learner first, so trials of different learners line up under it, then the learner's
    /// settings (the MLP's and the text classifiers' in the words below, any other learner's in its own).
    /// </summary>
    internal static IReadOnlyList<TrialSetting> OfRow(Trial trial, string oldLearner)
    {
        var name = LearnerChoice.LearnerOf(trial.ConfigJson, oldLearner);
        IReadOnlyList<TrialSetting> own = name switch
        {
            "mlp" => Of(RowTrials.Read<TabularTrialConfig>(trial)),
            "text" => Of(RowTrials.Read<TextTrialConfig>(trial)),
            "tfidf_linear" => Of(RowTrials.Read<TfidfTrialConfig>(trial)),
            EnsembleLearner.LearnerName => Ensemble(trial),
            _ => [.. LearnerCatalog.Named(name).Settings(trial.ConfigJson).Select(s => new TrialSetting(s.Training ? Training : Network, s.Name, s.Value))],
        };
        return [new TrialSetting(Network, "Learner", LearnerNames.Display(name)), .. own];
    }

    // JSON leaves a missing member null, so a configuration without its network or training reads as unreadable.
    internal static IReadOnlyList<TrialSetting> Of(TrialConfig config) =>
        config is { Architecture: { } cnn, Training: { } training } ? Image(cnn, training, config.FineTune) : Unreadable;

    internal static IReadOnlyList<TrialSetting> Of(TabularTrialConfig config) =>
        config is { Architecture: { } mlp, Training: { } training } ? Tabular(mlp, training) : Unreadable;

    internal static IReadOnlyList<TrialSetting> Of(TextTrialConfig config) =>
        config is { Architecture: { } text, Training: { } training } ? Text(text, training) : Unreadable;

    internal static IReadOnlyList<TrialSetting> Of(TfidfTrialConfig config) =>
        config is { Architecture: { } text, Training: { } training, Tfidf: { } tfidf } ? Tfidf(text, tfidf, training) : Unreadable;

    private static IReadOnlyList<TrialSetting> Unreadable { get; } = [new TrialSetting(Network, "Configuration", "cannot be read")];

    private static List<TrialSetting> Image(CnnArchitecture a, TrainingSettings training, FineTuneSettings? fineTune)
    {
        var settings = new List<TrialSetting>();
        void Add(string name, string value) => settings.Add(new TrialSetting(Network, name, value));
        if (a.BackboneSpec() is { } backbone)
        {
            Add("Pretrained network", BackboneArchitectures.DisplayName(backbone.Architecture));
            Add("Image size it sees", $"{backbone.WorkingSize}x{backbone.WorkingSize}");
        }
        else if (a.Stages.Count > 0)
        {
            Add("Stages", Number(a.Stages.Count));
            for (var i = 0; i < a.Stages.Count; i++)
            {
                var stage = a.Stages[i];
                Add($"Stage {i + 1} blocks", stage.Ops.Count == 0 ? "none" : string.Join(", ", stage.Ops.Select(CellOps.Describe)));
                Add($"Stage {i + 1} width", Number(stage.Width));
                Add($"Stage {i + 1} ends with", Downsampling(stage.Downsample));
            }
            Add("Batch norm", YesNo(a.BatchNorm));
        }
        else
        {
            Add("Blocks", Number(a.Blocks.Count));
            for (var i = 0; i < a.Blocks.Count; i++)
            {
                var b = a.Blocks[i];
                Add($"Block {i + 1}", $"conv {b.Kernel}x{b.Kernel} ({b.Filters}){(b.BatchNorm ? " BN" : "")}{(b.Pool ? ", pool" : "")}");
            }
        }
        if (a.Backbone is null)
        {
            var (_, size) = a.FeatureMap();
            Add("Head", a.Head == "gap" ? "global average pool" : $"flatten {size}x{size}");
            Add("Dense layer", a.DenseUnits > 0 ? $"{a.DenseUnits} units" : "none");
            Add("Dropout", Number(a.Dropout));
        }
        settings.AddRange(TrainingSettingsOf(training, withAugmentation: true, withLabelSmoothing: true));
        if (fineTune is null) return settings;
        if (a.Backbone is null)
        {
            settings.Add(new TrialSetting(Training, "Starting model", fineTune.Train == FineTuneSettings.Head ? "only the output layer learns" : "every layer learns"));
            return settings;
        }
        settings.Add(new TrialSetting(Training, "Layers that learn", TrialConfigDescription.LayersThatLearn(fineTune)));
        if (fineTune.Train != FineTuneSettings.Head)
            settings.Add(new TrialSetting(Training, "Pretrained layers' learning rate", $"x {Number(fineTune.LearningRateScale)}"));
        return settings;
    }

    private static List<TrialSetting> Tabular(TabularMlpArchitecture a, TrainingSettings training)
    {
        List<TrialSetting> settings =
        [
            new(Network, "Hidden layers", a.HiddenLayers == 0 ? "none (linear)" : Number(a.HiddenLayers)),
            new(Network, "Hidden width", Number(a.HiddenWidth)),
            new(Network, "Batch norm", YesNo(a.BatchNorm)),
            new(Network, "Dropout", Number(a.Dropout)),
        ];
        settings.AddRange(TrainingSettingsOf(training, withAugmentation: false, withLabelSmoothing: a.Task == PredictionTask.Classification));
        return settings;
    }

    private static List<TrialSetting> Text(TextClassifierArchitecture a, TrainingSettings training)
    {
        var settings = new List<TrialSetting>();
        void Add(string name, string value) => settings.Add(new TrialSetting(Network, name, value));
        Add("Model", a.Family == TextModelFamilies.Cnn ? "convolution over words" : "embedding bag");
        Add("Embedding width", Number(a.EmbeddingWidth));
        Add("Words read", Number(a.MaxLength));
        if (a.Family == TextModelFamilies.Cnn)
        {
            Add("Kernel (words)", Number(a.Kernel));
            Add("Filters", Number(a.Filters));
        }
        else
        {
            Add("Word pairs (bigram buckets)", a.BigramBuckets > 0 ? Number(a.BigramBuckets) : "off");
            Add("Hidden units", a.HiddenUnits > 0 ? Number(a.HiddenUnits) : "none");
        }
        Add("Dropout", Number(a.Dropout));
        settings.AddRange(TrainingSettingsOf(training, withAugmentation: false, withLabelSmoothing: true));
        return settings;
    }

    private static List<TrialSetting> Tfidf(TextClassifierArchitecture a, TfidfSettings tfidf, TrainingSettings training)
    {
        List<TrialSetting> settings =
        [
            new(Network, "Model", "TF-IDF with a linear classifier"),
            new(Network, "Words read", Number(a.MaxLength)),
            new(Network, "Word pairs (bigram buckets)", a.BigramBuckets > 0 ? Count(a.BigramBuckets) : "off"),
            new(Network, "Most frequent words kept", Count(tfidf.MaxWords)),
            new(Network, "Fewest texts a word or pair is in", Count(tfidf.MinDocumentFrequency)),
            new(Network, "L2 penalty", Number(tfidf.L2)),
        ];
        // The L2 penalty becomes its weight decay only when it trains (spread over the training texts): the stored 0 would mislead.
        settings.AddRange(TrainingSettingsOf(training, withAugmentation: false, withLabelSmoothing: false).Where(s => s.Name != "Weight decay"));
        return settings;
    }

    // Tables and texts are never augmented and a regression has no labels to smooth, so rows that could only ever say
    // "off" are left out for them.
    private static IEnumerable<TrialSetting> TrainingSettingsOf(TrainingSettings t, bool withAugmentation, bool withLabelSmoothing)
    {
        yield return new(Training, "Optimizer", t is { Optimizer: "sgd", Nesterov: true } ? "sgd (Nesterov)" : t.Optimizer);
        yield return new(Training, "Learning rate", Number(t.LearningRate));
        yield return new(Training, "Schedule", t.Schedule);
        yield return new(Training, "Weight decay", Number(t.WeightDecay));
        yield return new(Training, "Batch size", Number(t.BatchSize));
        yield return new(Training, "Epochs", Number(t.Epochs));
        if (withLabelSmoothing) yield return new(Training, "Label smoothing", Number(t.LabelSmoothing));
        if (!withAugmentation) yield break;
        yield return new(Training, "Horizontal flip", YesNo(t.Augmentation.HorizontalFlip));
        yield return new(Training, "Random crop", t.Augmentation.CropPadding > 0 ? $"{t.Augmentation.CropPadding} px padding" : "off");
        yield return new(Training, "Random erasing", t.Augmentation.ErasingProbability > 0 ? $"{Number(t.Augmentation.ErasingProbability * 100)}% of images" : "off");
    }

    private static string Downsampling(string downsample) => downsample switch
    {
        "max" => "max-pool 2x2",
        "avg" => "avg-pool 2x2",
        "stride" => "stride-2 conv",
        _ => "nothing",
    };

    private static string Count(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string YesNo(bool value) => value ? "yes" : "no";

    // Four significant digits: enough to tell sampled learning rates apart, short enough to scan a column.
    private static string Number(double value) => value.ToString("G4", CultureInfo.InvariantCulture);
}
