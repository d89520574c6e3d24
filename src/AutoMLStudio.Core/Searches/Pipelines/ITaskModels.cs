using AutoMLStudio.Core.Hosting;
using AutoMLStudio.Core.Registry;
using AutoMLStudio.Core.Storage;

namespace AutoMLStudio.Core.Searches.Pipelines;

/// <summary>
/// What registering and hosting a task's models needs to know of the task, from rows and files alone (no services):
/// what goes with the weights, what the model card says its input is, and how hosting reads a request's instances.
/// <see cref="TaskPipelines.ModelsOf"/> picks one per task, so <see cref="RegisterModel"/>, <see cref="ModelCard"/> and
/// <see cref="ModelPredictor"/> never branch on the task.
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
}

/// <summary>What pages may offer for a task, so that they need not know which tasks there are.</summary>
/// <param name="Instances">What its models read: images (uploaded files), JSON rows of fields, or texts.</param>
/// <param name="RegisteredFromSearchPage">The search page offers to register the best trial; tables and texts are registered through the API only.</param>
/// <param name="BuildsConvolutionalNetworks">The task's space is convolutional networks, so "nac" (which grows them) is offered.</param>
public sealed record TaskTraits(EndpointInput Instances, bool RegisteredFromSearchPage, bool BuildsConvolutionalNetworks)
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
