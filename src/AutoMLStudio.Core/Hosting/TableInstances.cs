using System.Text.Json;
using AutoMLStudio.Core.Datasets;
using AutoMLStudio.Core.Registry;
using AutoMLStudio.Engine.Tabular;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace AutoMLStudio.Core.Hosting;

/// <summary>Rows as objects of column values, prepared by the plan fitted on the training split.</summary>
public sealed class TableInstances(ModelCard card, TabularPreprocessingPlan plan) : IInstanceReader
{
    public bool Regression => plan.Target is not null;

    public string Describe() => $"rows with the columns {string.Join(", ", card.Rows?.Fields ?? [])}";

    public IReadOnlyCollection<NamedOnnxValue> Read(IReadOnlyList<JsonElement> instances)
    {
        var fields = card.Rows?.Fields ?? [];
        var known = new HashSet<string>(fields, StringComparer.Ordinal); // once per request: a batch reads every key of every row
        var rows = new List<IReadOnlyDictionary<string, string?>>(instances.Count);
        for (var i = 0; i < instances.Count; i++)
        {
            var instance = Instances.Object(instances[i], i);
            var cells = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var property in instance.EnumerateObject()) cells[property.Name] = Cell(property.Value, i, property.Name);
            StandIn(cells, fields, known, i);
            var missing = fields.Where(f => !cells.ContainsKey(f)).ToList();
            if (missing.Count > 0)
                throw new UserInputException("Columns missing",
                    $"Instance {i} lacks the column{(missing.Count == 1 ? "" : "s")} {string.Join(", ", missing.Take(10).Select(m => $"\"{m}\""))}. " +
                    "Send every column the model reads (null for an unknown value).");
            rows.Add(cells);
        }
        var features = plan.Transform(rows);
        var inputs = new List<NamedOnnxValue>(2);
        if (features.NumericWidth > 0)
            inputs.Add(NamedOnnxValue.CreateFromTensor("numeric", new DenseTensor<float>(features.Numeric, [features.Count, features.NumericWidth])));
        if (features.CategoricalWidth > 0)
            inputs.Add(NamedOnnxValue.CreateFromTensor("categorical", new DenseTensor<long>(features.Categorical, [features.Count, features.CategoricalWidth])));
        return inputs;
    }

    /// <summary>
    /// A property in another letter case stands for the one field it can mean ("PRICE" for "price"), unless the field
    /// was sent under its own name; one that could mean several fields is refused with them (see <see cref="ColumnNames"/>).
    /// </summary>
    private static void StandIn(Dictionary<string, string?> cells, IReadOnlyList<string> fields, HashSet<string> known, int index)
    {
        if (cells.Keys.All(known.Contains)) return; // the usual request: every name is a field's own
        var standIns = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in cells.Keys.Where(k => !known.Contains(k)).ToList())
        {
            // Every field the name could mean was sent under its own name: it is an extra, ignored like any other.
            if (ColumnNames.Matches(fields, name).All(cells.ContainsKey)) continue;
            if (ColumnNames.Find(fields, name) is not { } field) continue;
            if (standIns.TryGetValue(field, out var other))
                throw new UserInputException("Ambiguous column name",
                    $"Instance {index} gives the column \"{field}\" twice, as \"{other}\" and \"{name}\". Send it once, named as the table's header does.");
            standIns[field] = name;
        }
        foreach (var (field, name) in standIns) cells[field] = cells[name];
    }

    private static string? Cell(JsonElement value, int index, string column) => value.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => throw new UserInputException("Cell not a value",
            $"Instance {index}, column \"{column}\" holds {value.ValueKind.ToString().ToLowerInvariant()}; send a number, a string or null."),
    };
}
