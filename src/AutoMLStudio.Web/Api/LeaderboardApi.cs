using AutoMLStudio.Core.Leaderboards;

namespace AutoMLStudio.Web.Api;

public static class LeaderboardApi
{
    public static void MapLeaderboardApi(this RouteGroupBuilder api)
    {
        api.MapGet("/leaderboard", (Guid? datasetId, Leaderboard leaderboard, CancellationToken ct) => leaderboard.RankAsync(datasetId, ct))
            .WithTags("Leaderboard").WithSummary("The best model of every completed search, ranked by its test metric")
            .WithDescription("Groups hold the searches of one dataset whose numbers compare: same task and metric, and for cost the same "
                + "cost matrix. Within a group, entries are ranked by the test metric in its direction (lowerIsBetter for cost, rmse and "
                + "mae), ties by fewer parameters. datasetId limits the board to one dataset; left out, it covers every dataset. "
                + "datasetVersion names the version a search trained on: versions split differently, so their test sets differ.")
            .Produces<IReadOnlyList<LeaderboardGroup>>();
    }
}
