using System.Text.Json.Serialization;
using AutoMLStudio.Core.Data;

namespace AutoMLStudio.Core.Datasets;

/// <summary>What a table's label column is for; stored and sent as "classification" or "regression". Images and texts have none.</summary>
[JsonConverter(typeof(WireNameJsonConverter<DatasetTask>))]
public enum DatasetTask { Classification, Regression }

public static class DatasetTasks
{
    public const DatasetTask Classification = DatasetTask.Classification;
    public const DatasetTask Regression = DatasetTask.Regression;

    /// <summary>"classification": the word the API and the database use.</summary>
    public static string Name(this DatasetTask task) => WireNames<DatasetTask>.Name(task);
}
