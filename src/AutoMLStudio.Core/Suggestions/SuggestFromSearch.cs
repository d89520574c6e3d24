using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Registry;
using AutoMLStudio.Core.Searches;
using Microsoft.EntityFrameworkCore;

namespace AutoMLStudio.Core.Suggestions;

/// <summary>
/// One turn of the labeling loop: a finished search's best model suggests labels for its own dataset's unlabeled items.
/// Suggestions run through a registered model, so the best trial is registered first as the next version of
/// "&lt;dataset&gt; assistant" (unless this trial already is one), which also keeps every round's model in the registry.
/// </summary>
public sealed class SuggestFromSearch(StudioDbContext db, RegisterModel register, SuggestLabels suggest)
{
    public async Task<LabelSuggestionRun> HandleAsync(Guid searchId, string? strategy, int? seed, string? userId, CancellationToken ct)
    {
        var search = await db.Searches.AsNoTracking().SingleOrDefaultAsync(s => s.Id == searchId, ct) ?? throw UserInputException.NotFound("Search", searchId);
        if (search.Status != SearchStatus.Completed || search.BestTrialId is not { } bestTrialId)
            throw new UserInputException("Search not finished", "Only a completed search has a model to suggest labels with.", 409);
        if (SearchTasks.IsRegression(search.Task))
            throw new UserInputException("Not a classifier", "A regression model predicts numbers, not labels; it cannot suggest labels.");

        var version = await db.ModelVersions.AsNoTracking().Where(v => v.TrialId == bestTrialId).OrderByDescending(v => v.CreatedAt).FirstOrDefaultAsync(ct);
        if (version is null)
        {
            var dataset = await db.Datasets.AsNoTracking().Where(d => d.Id == search.DatasetId).Select(d => d.Name).SingleAsync(ct);
            var name = $"{(dataset.Length > 80 ? dataset[..80] : dataset)} assistant";
            version = await register.HandleAsync(new RegisterModelRequest(bestTrialId, name), userId, ct);
        }
        return await suggest.HandleAsync(search.DatasetId, new SuggestLabelsRequest(version.ModelId, version.Version, Strategy: strategy, Seed: seed), userId, ct);
    }
}
