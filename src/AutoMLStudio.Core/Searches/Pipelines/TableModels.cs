using AutoMLStudio.Core.Hosting;
using AutoMLStudio.Core.Registry;
using AutoMLStudio.Core.Storage;
using AutoMLStudio.Engine.Tabular;

namespace AutoMLStudio.Core.Searches.Pipelines;

/// <summary>Tabular models: the preprocessing fitted on the training split goes with the weights, and instances are rows of column values.</summary>
public sealed class TableModels : ITaskModels
{
    public static TableModels Instance { get; } = new();

    public TaskTraits Traits { get; } = new(EndpointInput.Rows, RegisteredFromSearchPage: false, BuildsConvolutionalNetworks: false);

    public ModelPreprocessing Preprocessing(Search search, IArtifactStore store)
    {
        var plan = new RowSearchDataStore(store).Load(search.Id).Plan!;
        var fields = plan.Numeric.Select(n => n.Column).Concat(plan.Categorical.Select(c => c.Column)).Distinct().ToList();
        return new ModelPreprocessing(plan.ToJson(), new RowInput(fields,
            "Numeric inputs: missing cells take the training median, then (x - mean) / scale, clipped to ±20; categorical inputs: the value's index in the vocabulary plus 2 (0 = not seen in training, 1 = missing). The rules per column are in preprocessing.json."),
            plan.Target);
    }

    public ModelInput? ImageInput(Trial trial, Search search) => null;

    public IInstanceReader InstanceReader(ModelCard card, string? preprocessingJson) =>
        new TableInstances(card, TabularPreprocessingPlan.FromJson(preprocessingJson ?? throw new InvalidDataException("A tabular model needs its preprocessing.")));
}
