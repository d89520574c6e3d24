using AutoMLStudio.Core.Datasets;

namespace AutoMLStudio.Web.Components.Pages.Datasets.Versions;

/// <summary>The "Create version" form; the same limits as <see cref="CreateDatasetVersion"/>, checked here for the UX.</summary>
public sealed class VersionFormModel
{
    public const double MaxFraction = 0.5;

    public int? Seed { get; set; }
    public double ValidationFraction { get; set; } = CreateDatasetVersion.DefaultFraction;
    public double TestFraction { get; set; } = CreateDatasetVersion.DefaultFraction;
    public string? Note { get; set; }

    public string? ValidationError => FractionError(ValidationFraction);
    public string? TestError => FractionError(TestFraction);
    public bool IsValid => ValidationError is null && TestError is null;

    public CreateDatasetVersionRequest ToRequest(Guid datasetId, string? userId) =>
        new(datasetId, Seed, ValidationFraction, TestFraction, Note, userId);

    private static string? FractionError(double fraction) =>
        double.IsNaN(fraction) || fraction is < 0 or > MaxFraction ? $"Between 0 and {MaxFraction}" : null;
}
