using System.Text;
using AutoMLStudio.Core.Datasets;
using AutoMLStudio.Core.Hosting;
using AutoMLStudio.Core.Registry;
using AutoMLStudio.Core.Storage;

namespace AutoMLStudio.Core.Searches.Pipelines;

/// <summary>
/// What the studio needs to know of a task's models, from rows and files alone (no services): what goes with the
/// weights, what the model card and the bundle say its input is, how hosting and batches read instances, the learner
/// its rows train, a trial's settings and a typical trial's cost. <see cref="TaskPipelines.ModelsOf"/> picks one per
/// task, so registering, hosting, batches, budgets and trial comparisons never branch on the task.
/// </summary>
public interface ITaskModels
{
    /// <summary>What the search page and the trial table may offer for the task.</summary>
    TaskTraits Traits { get; }

    /// <summary>The preprocessing a registered model of the search carries (preprocessing.json); null when the graph takes raw input.</summary>
    ModelPreprocessing? Preprocessing(Search search, IArtifactStore store);

    /// <summary>The model card's image input for the trial; null for tasks whose instances are not images.</summary>
    ModelInput? ImageInput(Trial trial, Search search);

    /// <summary>Reads a request's JSON instances into the graph's inputs; null for tasks that take images.</summary>
    IInstanceReader? InstanceReader(ModelCard card, string? preprocessingJson);

    /// <summary>Writes the bundle README's input, output and sample code sections for the model of <paramref name="card"/>.</summary>
    void WriteUsage(StringBuilder readme, ModelCard card);

    /// <summary>Checks a batch CSV's header before any row is predicted; a problem that names the column a model cannot do without.</summary>
    void CheckCsvHeader(IReadOnlyList<string> columns);

    /// <summary>The learner (<see cref="Engine.Learners.LearnerCatalog"/>) that trains the task's rows; null where each trial names its own (images).</summary>
    string? RowLearner { get; }

    /// <summary>
    /// What a learner may know of the task's rows before (or without) their data: enough to say which learners serve the
    /// task and what space they search; null for tasks that do not train on rows.
    /// </summary>
    Engine.Learners.DataProfile? RowProfile(Engine.Training.PredictionTask task) => null;

    /// <summary>The trial's configuration as named settings (<see cref="TrialSettings"/>).</summary>
    /// <exception cref="System.Text.Json.JsonException">The stored configuration cannot be read (also <see cref="InvalidDataException"/> or <see cref="ArgumentException"/>).</exception>
    IReadOnlyList<TrialSetting> Settings(Trial trial);

    /// <summary>What a typical first trial of the task costs on <paramref name="dataset"/>, before any trial ran (<see cref="BudgetPlan"/>).</summary>
    /// <param name="labelled">The dataset's labelled items.</param>
    Task<TypicalTrial> TypicalTrialAsync(Dataset dataset, IQueryable<DatasetItem> labelled, int items, int classes, CancellationToken ct);
}

/// <summary>A typical first trial of a task on a dataset, as the budget model reads it (docs/budgets.md).</summary>
/// <param name="BatchSize">The batch size the plan assumes: the middle of the space's choices.</param>
/// <param name="FlopsPerItem">Forward FLOPs of the trial for one item.</param>
/// <param name="Minutes">The default minutes of a search on the data before rounding and clamping.</param>
public sealed record TypicalTrial(int BatchSize, double FlopsPerItem, double Minutes);

/// <summary>What pages may offer for a task, so that they need not know which tasks there are.</summary>
/// <param name="Instances">What its models read: images (uploaded files), JSON rows of fields, or texts.</param>
/// <param name="BuildsConvolutionalNetworks">The task's space is convolutional networks, so "nac" (which grows them) is offered.</param>
/// <param name="StartsSearches">Its registered models can be the starting point of a new search: their layers carry over to new classes.</param>
public sealed record TaskTraits(EndpointInput Instances, bool BuildsConvolutionalNetworks, bool StartsSearches)
{
    /// <summary>Instances are images (uploaded files), not JSON rows or texts.</summary>
    public bool TakesImages => Instances == EndpointInput.Images;
}

/// <summary>What pages call a task, its examples and its models, so that no page names the tasks there are.</summary>
/// <param name="Item">One example: "image", "row", "text".</param>
/// <param name="Items">Several: "images", "rows", "texts".</param>
/// <param name="ModelKind">What its model is: "Image classifier", "Table regression (predicts a number)".</param>
/// <param name="Purpose">What an endpoint serving it does: "Image classification", "Predicting a number from a table row".</param>
public sealed record TaskWords(string Item, string Items, string ModelKind, string Purpose)
{
    /// <summary>"1 image", "2 images": the noun for <paramref name="count"/> examples.</summary>
    public string ItemsFor(int count) => count == 1 ? Item : Items;

    /// <summary>The examples as a column header: "Images".</summary>
    public string Heading => string.Concat(char.ToUpperInvariant(Items[0]).ToString(), Items.AsSpan(1));
}

/// <summary>A registered model's preprocessing: the JSON written next to its weights, the instance it reads, and (regression) the target's scaling.</summary>
public sealed record ModelPreprocessing(string Json, RowInput Input, Engine.Training.StandardScaling? Target);
