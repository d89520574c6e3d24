using System.Text;
using System.Text.Json;
using AutoMLStudio.Core.Datasets;
using AutoMLStudio.Core.Hosting;
using AutoMLStudio.Core.Registry;
using AutoMLStudio.Core.Storage;
using AutoMLStudio.Engine.Learners;
using AutoMLStudio.Engine.Spaces;
using AutoMLStudio.Engine.Text;
using AutoMLStudio.Engine.Training;

namespace AutoMLStudio.Core.Searches.Pipelines;

/// <summary>Text models: the tokenizer goes with the weights, and instances are <c>{"text": "..."}</c>.</summary>
public sealed class TextModels : ITaskModels
{
    public static TextModels Instance { get; } = new();

    public TaskTraits Traits { get; } = new(EndpointInput.Text, BuildsConvolutionalNetworks: false, StartsSearches: false);

    public ModelPreprocessing Preprocessing(Search search, IArtifactStore store) =>
        new(new RowSearchDataStore(store).Load(search.Id).Tokenizer!.ToJson(), new RowInput(["text"],
            "Lower-cased words split on anything that is not a letter or digit, mapped to ids by the tokenizer in preprocessing.json (unknown words share one id), cut to the model's maxLength words; with bigram buckets, each adjacent pair of word ids is hashed into a bucket after the vocabulary. ids are int64[N,L], 0 pads."),
            null);

    public ModelInput? ImageInput(Trial trial, Search search) => null;

    public IInstanceReader InstanceReader(ModelCard card, string? preprocessingJson) =>
        new TextInstances(
            TextTokenizer.FromJson(preprocessingJson ?? throw new InvalidDataException("A text model needs its tokenizer.")),
            card.Configuration.Deserialize<TextTrialConfig>(EngineJson.Options)!.Architecture);

    public void WriteUsage(StringBuilder readme, ModelCard card) => ModelBundle.TextSection(readme);

    public void CheckCsvHeader(IReadOnlyList<string> columns)
    {
        if (!columns.Contains("text"))
            throw new UserInputException("Text column missing", "A text model's CSV needs a column named 'text'.");
    }

    public string RowLearner => "text";

    // An empty tokenizer: the learners that serve texts only ask whether there is one.
    public DataProfile RowProfile(PredictionTask task) => new(task, 0, 0, Tokenizer: new TextTokenizer([]));

    public IReadOnlyList<TrialSetting> Settings(Trial trial) => TrialSettings.OfRow(trial, RowLearner);

    public Task<TypicalTrial> TypicalTrialAsync(Dataset dataset, IQueryable<DatasetItem> labelled, int items, int classes, CancellationToken ct) =>
        // A typical embedding-bag model over 200 words of 64 dimensions.
        Task.FromResult(new TypicalTrial(32, 2.0 * (200 * 64 + 64 * classes), 3 + items / 2_000.0));
}
