using System.Text.Json;
using AutoMLStudio.Core.Searches.Pipelines;
using AutoMLStudio.Engine.Analysis;
using AutoMLStudio.Engine.Learners;
using AutoMLStudio.Engine.Search;

namespace AutoMLStudio.Core.Searches;

/// <summary>
/// Trials as points of the space their search explored, for what reads trials by their settings: the parallel
/// coordinates and the hyperparameter importance of the search page and the API.
/// </summary>
public static class TrialPoints
{
    /// <summary>The flat space the search's strategies explore; null for an image search not yet prepared (its space depends on the image size).</summary>
    public static ParameterSpace? Space(Search search)
    {
        return TaskPipelines.ShapeOf(search.Task).Space(search);
    }

    /// <summary>
    /// The trial's point of <paramref name="space"/>; null when its stored configuration cannot be read or falls outside
    /// the space, as configurations of the first image space can (a single stage, say): such trials are left out.
    /// </summary>
    public static ParameterSet? Point(Trial trial, Search search, ParameterSpace space)
    {
        try
        {
            var point = TaskPipelines.ShapeOf(search.Task).Encode(trial, search);
            return space.Contains(point) ? point : null;
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>
    /// Each parameter's share of the variance of the search's metric over its completed trials (see
    /// <see cref="HyperparameterImportance"/>); a search over several learners is read through the learner it tried most
    /// (<see cref="LearnerChoice.ImportanceFocus"/>), since a learner's settings mean nothing on another learner's trials.
    /// </summary>
    public static ImportanceEstimate Importance(Search search, IEnumerable<Trial> trials)
    {
        if (Space(search) is not { } space) return new ImportanceEstimate(ImportanceOutcome.TooFewTrials, 0, []);
        var (focus, scored) = LearnerChoice.ImportanceFocus(space, trials
            .Where(t => t.Status == TrialStatus.Completed && t.ValMetric is not null)
            .OrderBy(t => t.Number)
            .Select(t => (Point: Point(t, search, space), Metric: t.ValMetric!.Value))
            .Where(t => t.Point is not null)
            .Select(t => new ScoredPoint(t.Point!, t.Metric)));
        return HyperparameterImportance.Estimate(focus, scored);
    }
}
