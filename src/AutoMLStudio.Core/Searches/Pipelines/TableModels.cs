using System.Text;
using AutoMLStudio.Core.Datasets;
using AutoMLStudio.Core.Hosting;
using AutoMLStudio.Core.Registry;
using AutoMLStudio.Core.Storage;
using AutoMLStudio.Engine.Learners;
using AutoMLStudio.Engine.Tabular;
using AutoMLStudio.Engine.Training;

namespace AutoMLStudio.Core.Searches.Pipelines;

/// <summary>Tabular models: the preprocessing fitted on the training split goes with the weights, and instances are rows of column values.</summary>
public sealed class TableModels : ITaskModels
{
    public static TableModels Instance { get; } = new();

    public TaskTraits Traits { get; } = new(EndpointInput.Rows, BuildsConvolutionalNetworks: false, StartsSearches: false);

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

    public void WriteUsage(StringBuilder readme, ModelCard card) => ModelBundle.TabularSection(readme, card);

    // A column the CSV lacks reads as a missing value, which the preprocessing fills in.
    public void CheckCsvHeader(IReadOnlyList<string> columns)
    {
    }

    public string RowLearner => "mlp";

    // An empty plan: the learners that serve tables only ask whether there is one.
    public DataProfile RowProfile(PredictionTask task) => new(task, 0, 0, Plan: new TabularPreprocessingPlan([], [], [], null));

    public IReadOnlyList<TrialSetting> Settings(Trial trial) => TrialSettings.OfRow(trial, RowLearner);

    public Task<TypicalTrial> TypicalTrialAsync(Dataset dataset, IQueryable<DatasetItem> labelled, int items, int classes, CancellationToken ct)
    {
        var columns = Math.Max(1, (dataset.Columns?.Count ?? 0) - 1);
        // A typical MLP: two hidden layers of 128.
        return Task.FromResult(new TypicalTrial(64, 2.0 * (columns * 128 + 128 * 128 + 128 * classes), 3 + (double)items * columns / 100_000));
    }
}
