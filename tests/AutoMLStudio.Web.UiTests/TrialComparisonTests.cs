using System.Text.Json;
using AutoMLStudio.Core;
using AutoMLStudio.Core.Searches;
using AutoMLStudio.Engine.Learners;
using AutoMLStudio.Engine.Spaces;
using AutoMLStudio.Engine.Tabular;
using AutoMLStudio.Engine.Text;
using AutoMLStudio.Engine.Training;

namespace AutoMLStudio.Web.UiTests;

public sealed class TrialComparisonTests
{
    private static readonly TrainingSettings AdamW = new("adamw", 0.001, 0.0005, 64, 4, "cosine", 0.1);

    [Fact]
    public void Settings_whose_values_differ_are_marked_and_equal_ones_are_not()
    {
        var narrow = Cnn([new CellStage(16, [CellOps.Conv3, CellOps.Conv3], "max")], AdamW);
        var wide = Cnn([new CellStage(32, [CellOps.Conv3, CellOps.Conv3], "max")], AdamW with { LearningRate = 0.003 });

        var comparison = TrialComparison.Of(ImageSearch, [Trial(1, narrow), Trial(3, wide)]);

        Assert.Equal(["Stage 1 width", "Learning rate"], comparison.Settings.Where(s => s.Differs).Select(s => s.Name));
        Assert.Equal(["16", "32"], Setting(comparison, "Stage 1 width").Values);
        Assert.Equal(["0.001", "0.003"], Setting(comparison, "Learning rate").Values);
        Assert.Equal(["conv 3x3, conv 3x3", "conv 3x3, conv 3x3"], Setting(comparison, "Stage 1 blocks").Values);
        Assert.Equal(["Network", "Training"], comparison.Settings.Select(s => s.Group).Distinct());
        Assert.Equal(["off", "off"], Setting(comparison, "Random crop").Values);
    }

    [Fact]
    public void A_stage_only_one_trial_has_follows_the_shared_stages_and_is_blank_for_the_other()
    {
        var twoStages = Cnn([new CellStage(16, [CellOps.Conv3], "max"), new CellStage(32, [CellOps.SepConv3], "max")], AdamW);
        var threeStages = Cnn([new CellStage(16, [CellOps.Conv3], "max"), new CellStage(32, [CellOps.SepConv3], "max"),
            new CellStage(64, [CellOps.Identity, CellOps.DilConv3], "none")], AdamW);

        var comparison = TrialComparison.Of(ImageSearch, [Trial(1, twoStages), Trial(2, threeStages)]);

        var names = comparison.Settings.Select(s => s.Name).ToList();
        Assert.Equal(names.IndexOf("Stage 2 ends with") + 1, names.IndexOf("Stage 3 blocks"));
        Assert.Equal(names.IndexOf("Stage 3 ends with") + 1, names.IndexOf("Batch norm"));
        Assert.Equal([null, "identity, dil-conv 3x3"], Setting(comparison, "Stage 3 blocks").Values);
        Assert.Equal([null, "nothing"], Setting(comparison, "Stage 3 ends with").Values);
        Assert.True(Setting(comparison, "Stage 3 width").Differs);
        Assert.Equal(["2", "3"], Setting(comparison, "Stages").Values);
        Assert.False(Setting(comparison, "Stage 2 width").Differs);
    }

    [Fact]
    public void Table_and_text_trials_are_compared_on_their_own_settings_without_augmentation_rows()
    {
        var small = new TabularTrialConfig(new TabularMlpArchitecture(4, [3], PredictionTask.Classification, 2, 1, 32, false, 0), AdamW);
        var deep = new TabularTrialConfig(new TabularMlpArchitecture(4, [3], PredictionTask.Classification, 2, 3, 32, true, 0.2), AdamW);
        var table = TrialComparison.Of(new Search { Task = SearchTasks.TabularClassification }, [Trial(1, small), Trial(2, deep)]);

        Assert.Equal(["Hidden layers", "Batch norm", "Dropout"], table.Settings.Where(s => s.Differs).Select(s => s.Name));
        Assert.DoesNotContain(table.Settings, s => s.Name == "Horizontal flip");
        Assert.Contains(table.Settings, s => s.Name == "Label smoothing");
        var regression = small with { Architecture = small.Architecture with { Task = PredictionTask.Regression } };
        var regressionTable = TrialComparison.Of(new Search { Task = SearchTasks.TabularRegression }, [Trial(1, regression), Trial(2, regression)]);
        Assert.DoesNotContain(regressionTable.Settings, s => s.Name == "Label smoothing" || s.Differs);

        var bag = new TextTrialConfig(new TextClassifierArchitecture(TextModelFamilies.EmbeddingBag, 500, 2, 100, 32, 0, 16, 0, 0, 0), AdamW);
        var cnn = new TextTrialConfig(new TextClassifierArchitecture(TextModelFamilies.Cnn, 500, 2, 100, 32, 0, 0, 3, 64, 0.1), AdamW);
        var text = TrialComparison.Of(new Search { Task = SearchTasks.TextClassification }, [Trial(1, bag), Trial(2, cnn)]);

        Assert.Equal(["embedding bag", "convolution over words"], Setting(text, "Model").Values);
        Assert.Equal(["16", null], Setting(text, "Hidden units").Values);
        Assert.Equal([null, "64"], Setting(text, "Filters").Values);
        Assert.False(Setting(text, "Embedding width").Differs);
    }

    [Fact]
    public void A_tfidf_trial_is_compared_by_what_it_counts_and_its_penalty_beside_a_network()
    {
        var bag = new TextTrialConfig(new TextClassifierArchitecture(TextModelFamilies.EmbeddingBag, 500, 2, 100, 32, 0, 16, 0, 0, 0), AdamW);
        var tfidf = new TfidfTrialConfig(new TextClassifierArchitecture(TextModelFamilies.Tfidf, 500, 2, 256, 0, 2_048, 0, 0, 0, 0),
            new TrainingSettings("adam", 0.1, 0, 32, 4, "cosine"), new TfidfSettings(MaxWords: 20_000, MinDocumentFrequency: 2, L2: 0.5));

        // As the search stores it: the configuration names its learner (a neural text model's need not: it is the old default).
        var stored = Trial(2, tfidf);
        stored.ConfigJson = LearnerChoice.Named(stored.ConfigJson, "tfidf_linear");
        var text = TrialComparison.Of(new Search { Task = SearchTasks.TextClassification }, [Trial(1, bag), stored]);

        Assert.Equal(["Neural text model", "TF-IDF linear"], Setting(text, "Learner").Values);
        Assert.Equal(["embedding bag", "TF-IDF with a linear classifier"], Setting(text, "Model").Values);
        Assert.Equal(["off", "2,048"], Setting(text, "Word pairs (bigram buckets)").Values);
        Assert.Equal([null, "20,000"], Setting(text, "Most frequent words kept").Values);
        Assert.Equal([null, "0.5"], Setting(text, "L2 penalty").Values);
        Assert.Equal(["32", null], Setting(text, "Embedding width").Values);
        Assert.Equal(["0.0005", null], Setting(text, "Weight decay").Values);
    }

    [Fact]
    public void A_fine_tuned_backbone_is_compared_by_its_network_and_what_learns_beside_a_searched_network()
    {
        var own = Cnn([new CellStage(16, [CellOps.Conv3], "max")], AdamW);
        var pretrained = own with
        {
            Architecture = own.Architecture with { Stages = [], Dropout = 0, Backbone = Engine.Backbones.BackboneArchitectures.ResNet18 },
            FineTune = new FineTuneSettings(FineTuneSettings.Partial, 0.1),
        };

        var comparison = TrialComparison.Of(ImageSearch, [Trial(1, own), Trial(3, pretrained)]);

        Assert.Equal([null, "ResNet-18"], Setting(comparison, "Pretrained network").Values);
        Assert.Equal([null, "64x64"], Setting(comparison, "Image size it sees").Values);
        Assert.Equal([null, "last stage and head learn"], Setting(comparison, "Layers that learn").Values);
        Assert.Equal([null, "x 0.1"], Setting(comparison, "Pretrained layers' learning rate").Values);
        Assert.Equal(["1", null], Setting(comparison, "Stages").Values);
        Assert.False(Setting(comparison, "Learning rate").Differs);
    }

    [Fact]
    public void A_trial_whose_configuration_cannot_be_read_is_still_compared()
    {
        var readable = Trial(1, Cnn([new CellStage(16, [CellOps.Conv3], "max")], AdamW));
        var broken = new Trial { Number = 2, ConfigJson = "{\"architecture\": 5}" };

        var comparison = TrialComparison.Of(ImageSearch, [readable, broken]);

        Assert.Equal([null, "cannot be read"], Setting(comparison, "Configuration").Values);
        Assert.Equal(["0.001", null], Setting(comparison, "Learning rate").Values);
    }

    [Fact]
    public void Trial_numbers_are_read_from_the_address_and_bad_lists_are_refused_with_a_reason()
    {
        Assert.Equal([1, 3, 4], CompareTrials.ParseNumbers(" 1,3, 3 ,4,"));

        Assert.Equal("Too few trials", Assert.Throws<UserInputException>(() => CompareTrials.ParseNumbers("2,2")).Title);
        Assert.Equal("Too few trials", Assert.Throws<UserInputException>(() => CompareTrials.ParseNumbers(null)).Title);
        var notNumber = Assert.Throws<UserInputException>(() => CompareTrials.ParseNumbers("1,three"));
        Assert.Contains("'three' is not a trial number", notNumber.Detail);
        Assert.Equal("Trials not understood", Assert.Throws<UserInputException>(() => CompareTrials.ParseNumbers("0,1")).Title);
        Assert.Equal("Too many trials", Assert.Throws<UserInputException>(() => CompareTrials.ParseNumbers("1,2,3,4,5,6,7,8,9")).Title);
    }

    internal static Search ImageSearch { get; } = new() { Task = SearchTasks.ImageClassification };

    internal static TrialConfig Cnn(IReadOnlyList<CellStage> stages, TrainingSettings training) =>
        new(new CnnArchitecture(1, 28, 3, [], 0, 0.2, [0.5f], [0.3f], stages, BatchNorm: true), training);

    internal static Trial Trial(int number, object config) =>
        new() { Number = number, ConfigJson = JsonSerializer.Serialize(config, EngineJson.Options) };

    private static ComparedSetting Setting(TrialComparison comparison, string name) => comparison.Settings.Single(s => s.Name == name);
}
