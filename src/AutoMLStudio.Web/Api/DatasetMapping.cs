using AutoMLStudio.Core.Datasets;

namespace AutoMLStudio.Web.Api;

/// <summary>Core's dataset views as the API's JSON shapes (which pages reuse).</summary>
public static class DatasetMapping
{
    public static DatasetDto ToDto(this DatasetView d)
    {
        var columns = d.Columns.Select(c => new ColumnDto(c.Name, c.InferredType, c.Type, c.Missing,
            c.Name == d.LabelColumn ? "label" : c.Name == d.TextColumn ? "text" : c.Type == ColumnTypes.Identifier ? "ignored" : "feature")).ToList();
        return new DatasetDto(d.Id, d.Name, d.Kind.Lower(), d.Status.Lower(), d.Error, d.ImportProgress, d.ItemCount, d.LabeledCount,
            d.Classes.Select(c => new ClassCountDto(c.Name, c.Count)).ToList(), d.Quality.ToDto(), d.CreatedAt, d.Source, d.Task?.Name(), d.LabelColumn,
            d.TextColumn, columns);
    }

    /// <summary>Warnings as the plain sentences older clients read, and with their codes and actions in Details.</summary>
    public static DatasetQualityDto ToDto(this DatasetQualityView q) =>
        new(q.SkippedFiles, q.SkippedDetails, q.ImbalanceRatio, q.Warnings.Select(w => $"{w.Message} {w.Action}").ToList(), q.Warnings, q.ComputedAt,
            q.Classes, q.ExactDuplicates, q.NearDuplicates, q.Images, q.Tabular);

    public static DatasetVersionDto ToDto(this DatasetVersionView v) =>
        new(v.Id, v.DatasetId, v.Number, v.Seed, v.ValidationFraction, v.TestFraction, v.ItemCount, v.Splits, v.Note, v.CreatedAt,
            $"/api/v1/datasets/{v.DatasetId}/versions/{v.Number}/export");

    public static ItemDto ToDto(this ItemView i) =>
        new(i.Id, i.Label, i.OriginalName, i.Width, i.Height, i.HasFile ? ItemUrls.Thumbnail(i.DatasetId, i.Id) : null, i.Revision, i.LabeledBy,
            i.LabeledAt, i.SuggestedLabel, i.SuggestedConfidence, i.SuggestionRank, i.SuggestionWhy);
}
