using System.Security.Claims;
using System.Text;
using AutoMLStudio.Core;
using AutoMLStudio.Core.Searches;
using AutoMLStudio.Web.Auth;

namespace AutoMLStudio.Web.Api;

public sealed record PriorityBody(string? Priority);

public static class SearchesApi
{
    public static void MapSearchesApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/searches").WithTags("Searches");

        group.MapPost("/", StartAsync).RequireAuthorization(StudioPolicies.Editor)
            .WithSummary("Start an architecture and hyperparameter search on a dataset")
            .WithDescription("task is image_classification, tabular_classification, tabular_regression or text_classification; left out, "
                + "it follows the dataset's kind. Regression optimises rmse (default) or mae, both lower is better; image, tabular and text "
                + "classification optimise the classification metrics below. "
                + "objective.metric is accuracy (default), macro_f1 (every class counts the same) or cost (lower is better). "
                + "cost needs objective.costMatrix[true class][predicted class]: square, one row and column per class in the ordinal order "
                + "of the class names, numbers from 0 to 1,000,000, at least one mistake costing more than 0; other metrics refuse a cost matrix. "
                + "constraints.maxParams and maxFlops are never exceeded by a trained trial. "
                + "objective.constraints.maxLatencyMs limits the median latency of one prediction at batch size 1 on the search's "
                + "device; candidates over it are measured before training and never trained. objective.tradeOff ('params' or "
                + "'latency') turns on multi-objective mode: the search returns 'paretoFront', the trials that no other trial beats on "
                + "both the metric and the trade-off, and each trial says 'onParetoFront'. algorithm 'nac' grows a network from a small "
                + "one by pruning and widening its blocks after short training runs. startFrom {modelId, version?} (image searches) "
                + "starts every trial from a registered image model (its newest version unless version is given): its network and "
                + "weights, with a new output layer for this dataset's classes, images resized to the model's input; random search then "
                + "tries training settings and whether all layers or only the output layer learn (each trial's config.fineTune.train: "
                + "full or head). Only auto or random go with it; the model's weights must match the hash recorded at registration. "
                + "includeSuggestions: true also trains on unlabeled items with a model's unconfirmed suggested label, in the training split only "
                + "(validation and test keep to labels people gave); left out, a search trains on confirmed labels alone. "
                + "usePretrained (image searches, default true): where an admin imported pretrained backbones (resnet18, mobilenet_v2; "
                + "/api/v1/backbones), trial 3 and every 4th trial after it fine-tune one of them with a new head instead of a network of "
                + "the studio's space: config.architecture.backbone names it, config.fineTune.train says what learns (head: frozen, "
                + "partial: last stage and head, full: everything) and config.fineTune.learningRateScale the pretrained layers' share of "
                + "the learning rate. Limits apply to them as to any candidate (ResNet-18 has 11 M parameters). false: only the studio's own "
                + "networks. Not with startFrom or algorithm nac.")
            .Produces<SearchDto>(StatusCodes.Status201Created).ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);
        group.MapPost("/{id:guid}/refine", RefineAsync).RequireAuthorization(StudioPolicies.Editor)
            .WithSummary("Refine a finished search with a changed objective or an added constraint")
            .WithDescription("Starts a new search on the same dataset version (same split) with parentSearchId set. objective, when sent, "
                + "is a full objective (as for a new search) that replaces the parent's; left out, the parent's is kept. budget fields left out "
                + "take the parent's, and maxTrials counts new trials only. The parent's completed trials are carried over first, re-scored "
                + "from their stored validation confusion matrices under the new objective (no retraining) and marked inheritedFrom "
                + "{searchId, trialNumber}; those that break a new limit are 'pruned' with the reason and never chosen as best. Only a "
                + "completed search, or a cancelled one with finished trials, can be refined (409 otherwise).")
            .Produces<SearchDto>(StatusCodes.Status201Created).ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);
        group.MapGet("/", ListAsync).WithSummary("List searches, newest first")
            .WithDescription("datasetId limits the list to one dataset's searches. Each search is as GET /searches/{id} answers it, "
                + "with its trial counts and best trial; the trials themselves, with their curves, are at /searches/{id}/trials.")
            .Produces<List<SearchDto>>().Paged();
        group.MapGet("/{id:guid}", GetAsync).WithSummary("A search's state, progress and best trial")
            .WithDescription("metricDirection says whether lower (cost) or higher values are better. When completed, best.test holds the "
                + "held-out evaluation: the metric's value, accuracy, macro F1, cost (with a cost matrix), per-class precision, recall, F1 "
                + "and support, and the confusion matrix [true][predicted]. finalRetrain says whether the best configuration was "
                + "retrained on train+validation at the end (state retraining, done or skipped, with the reason); when done, the test "
                + "evaluation and a registered model are the retrained one. parentSearchId names the search this one refines. "
                + "budget holds only the limits the person set (maxTrials and maxEpochsPerTrial null when not set; maxMinutes is the "
                + "default from the data's size when not set). plan is what the search derived: epochsPerTrial, expectedTrials and "
                + "secondsPerTrial. endReason {code, message} says which limit ended it (code minutes, trials, converged, cancelled, "
                + "failed or nothing_fits). earlyStopping {pruned, byEpoch} counts the trials early stopping ended, by the epoch they "
                + "stopped after (see docs/budgets.md).")
            .Produces<SearchDto>().ProducesProblem(404);
        group.MapGet("/{id:guid}/misclassified", MisclassifiedAsync).WithSummary("The test examples the search's final model got wrong")
            .WithDescription("Completed classification searches (image, tabular, text): the held-out test examples whose predicted label "
                + "differs from their true label, most confident mistakes first (a confident mistake is often a wrong label). Each has "
                + "itemId, datasetId, trueLabel (the dataset version's), predictedLabel, confidence (the probability of the predicted "
                + "label, 0 to 1), trueLabelProbability, currentLabel (the item's label now), thumbnailUrl (images) or snippet (rows and "
                + "texts), and labelingUrl (the labeling page with the item selected, to fix its label). total counts every mistake "
                + "(the confusion matrix's off-diagonal sum) and testCount every test example. limit is 1 to 200 (default 24), offset "
                + "0 or more. 404 for an unknown search, a regression, or a search that completed before test predictions were kept; "
                + "409 while the search has not completed.")
            .Produces<MisclassifiedPageDto>().ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);
        group.MapGet("/{id:guid}/trials", TrialsAsync).WithSummary("A search's trials with their per-epoch curves")
            .WithDescription("config is the configuration as the trial's learner reads it; for tables and texts config.learner names "
                + "that learner first (\"lightgbm\", \"linear\", \"forest\", \"mlp\", \"text\", ...; a trial stored before there was a "
                + "choice reads as \"mlp\" for tables and \"text\" for texts). "
                + "metrics.valMetric and each epoch's valMetric are the search's metric (a cost for cost: lower is better); "
                + "metrics.valConfusionMatrix is the validation confusion matrix of the best epoch. inheritedFrom {searchId, trialNumber} "
                + "marks a trial carried over from the refined search, re-scored under this search's objective. A table search may end with "
                + "an ensemble trial (config.learner \"ensemble\"): the weighted average of the trials in config.members, added when it beats "
                + "them on validation; its params, flops and latencyMs are its members' sums, and it has no epochs.")
            .Produces<List<TrialDto>>().ProducesProblem(404);
        group.MapGet("/{id:guid}/trials.csv", TrialsCsvAsync).WithSummary("A search's trials as a CSV file for spreadsheets")
            .WithDescription("One row per trial: number, status, the trial it was carried over from, architecture and training settings "
                + "in words, the best validation value of the search's metric (column val_<metric>), validation loss, parameters, FLOPs, "
                + "latency in ms, epochs, training seconds, device, start and end (UTC) and the error or prune reason. Text cells that a "
                + "spreadsheet would run as a formula (starting with =, +, -, @, tab or carriage return) start with an apostrophe.")
            .Produces<string>(StatusCodes.Status200OK, "text/csv").ProducesProblem(404);

        group.MapGet("/{id:guid}/compare", CompareAsync).WithSummary("Two or more trials' settings side by side, with the differences marked")
            .WithDescription("trials names the trials by their numbers in the search, separated by commas (trials=1,3,4; 2 to 8 trials). "
                + "trials in the answer are those trials in number order with their status, validation metric, parameters, FLOPs and latency. "
                + "settings lists every setting of their configurations (group 'network' or 'training') in one order, each with one value per "
                + "trial in the order of 'trials' (null where a trial has no such setting, such as a third stage) and differs true when the "
                + "values are not all the same. Names and values are the words the UI shows. Per-epoch curves and validation confusion "
                + "matrices are in /trials. 400 when trials is missing, not numbers, names fewer than 2 or more than 8 trials, or names a "
                + "trial the search does not have.")
            .Produces<TrialComparisonDto>().ProducesProblem(400).ProducesProblem(404);

        group.MapGet("/{id:guid}/importance", ImportanceAsync).WithSummary("How much each hyperparameter moved the search's metric")
            .WithDescription("fANOVA-style main effects over the completed trials: a random forest is fitted to their settings (as points of "
                + "the search space: numbers on their linear or log scale, choices one-hot) and their validation metric, and each parameter's "
                + "share is the variance of the forest's prediction as that parameter alone changes (the others averaged over the space), "
                + "divided by the forest's total variance. status is estimated, too_few_trials (fewer than minimumTrials completed trials "
                + "whose settings fit the space; trials configured in an older space are left out) or metric_constant (every trial scored "
                + "the same). parameters lists every parameter, largest share first; varied is false when all trials used the same value. "
                + "mainEffectsShare is their sum: the rest comes from parameters acting together. The shares describe this search's trials, "
                + "not a general law, and are deterministic for the same trials.")
            .Produces<ImportanceDto>().ProducesProblem(404);
        group.MapPost("/{id:guid}/cancel", (Guid id, ControlSearch control, ClaimsPrincipal user, SearchQueries searches, CancellationToken ct) =>
                ControlAsync(id, searches, ct, () => control.CancelAsync(id, user.FindFirstValue(ClaimTypes.NameIdentifier), ct)))
            .RequireAuthorization(StudioPolicies.Editor).WithSummary("Cancel a search; running trials stop").ProducesProblem(404).ProducesProblem(409);
        group.MapPost("/{id:guid}/pause", (Guid id, ControlSearch control, ClaimsPrincipal user, SearchQueries searches, CancellationToken ct) =>
                ControlAsync(id, searches, ct, () => control.PauseAsync(id, user.FindFirstValue(ClaimTypes.NameIdentifier), ct)))
            .RequireAuthorization(StudioPolicies.Editor).WithSummary("Pause a search; running trials keep their checkpoints").ProducesProblem(404).ProducesProblem(409);
        group.MapPost("/{id:guid}/resume", (Guid id, ControlSearch control, ClaimsPrincipal user, SearchQueries searches, CancellationToken ct) =>
                ControlAsync(id, searches, ct, () => control.ResumeAsync(id, user.FindFirstValue(ClaimTypes.NameIdentifier), ct)))
            .RequireAuthorization(StudioPolicies.Editor).WithSummary("Resume a paused search from its checkpoints").ProducesProblem(404).ProducesProblem(409);
        group.MapPost("/{id:guid}/priority", (Guid id, PriorityBody? body, ControlSearch control, ClaimsPrincipal user, SearchQueries searches, CancellationToken ct) =>
                ControlAsync(id, searches, ct, () => control.SetPriorityAsync(id, body?.Priority, user.FindFirstValue(ClaimTypes.NameIdentifier), ct)))
            .RequireAuthorization(StudioPolicies.Admin).WithSummary("Change a search's priority: {\"priority\": \"low\" | \"normal\" | \"high\"}")
            .WithDescription("On each device, a queued trial of a higher-priority search starts before those of lower-priority searches "
                + "(running trials are not stopped). Admins only; logged in the audit log.")
            .Produces<SearchDto>().ProducesProblem(400).ProducesProblem(404);
        group.MapPost("/{id:guid}/trials/{trialId:guid}/cancel", async (Guid id, Guid trialId, ControlSearch control, ClaimsPrincipal user, SearchQueries searches, CancellationToken ct) =>
            {
                var trial = await control.CancelTrialAsync(id, trialId, user.FindFirstValue(ClaimTypes.NameIdentifier), ct);
                return Results.Ok((await searches.SummaryAsync(trial, ct)).ToDto());
            })
            .RequireAuthorization(StudioPolicies.Admin).WithSummary("Cancel one queued or running trial; the search goes on without it")
            .WithDescription("A queued trial never starts; a running one stops within a batch on this node or at its next epoch on another "
                + "(its lease is withdrawn). The trial ends as failed with the error \"Cancelled by an admin.\". Admins only; logged in the audit log.")
            .Produces<TrialDto>().ProducesProblem(404).ProducesProblem(409);
    }

    private static async Task<IResult> StartAsync(StartSearchRequest? body, StartSearch start, ClaimsPrincipal user, CancellationToken ct)
    {
        if (body is null || body.DatasetId == Guid.Empty)
            throw new UserInputException("Dataset missing", "Say which dataset to train on: send {\"datasetId\": \"...\"}.");
        var search = await start.HandleAsync(body, user.FindFirstValue(ClaimTypes.NameIdentifier), ct);
        return Results.Created($"/api/v1/searches/{search.Id}", SearchView.Of(search, []).ToDto());
    }

    private static async Task<IResult> RefineAsync(Guid id, RefineSearchRequest? body, RefineSearch refine, ClaimsPrincipal user, CancellationToken ct)
    {
        var search = await refine.HandleAsync(id, body ?? new RefineSearchRequest(null, null, null), user.FindFirstValue(ClaimTypes.NameIdentifier), ct);
        return Results.Created($"/api/v1/searches/{search.Id}", SearchView.Of(search, []).ToDto());
    }

    private static async Task<IResult> ListAsync(SearchQueries searches, Guid? datasetId, Paging page, CancellationToken ct) =>
        Results.Ok(page.Answer(await searches.ListAsync(datasetId, page.Request, ct)).Select(s => s.ToDto()).ToList());

    private static async Task<IResult> GetAsync(Guid id, SearchQueries searches, CancellationToken ct) =>
        Results.Ok((await searches.GetAsync(id, ct)).ToDto());

    private static async Task<IResult> MisclassifiedAsync(Guid id, int? limit, int? offset, MisclassifiedExamples mistakes, CancellationToken ct)
    {
        var page = await mistakes.HandleAsync(id, limit, offset, ct);
        return Results.Ok(new MisclassifiedPageDto(page.Total, page.TestCount, offset ?? 0, limit ?? MisclassifiedExamples.DefaultLimit,
            [.. page.Items.Select(m => m.ToDto(id))]));
    }

    private static async Task<IResult> TrialsAsync(Guid id, SearchQueries searches, CancellationToken ct) =>
        Results.Ok((await searches.TrialsAsync(id, ct)).Select(t => t.ToDto()).ToList());

    private static async Task<IResult> TrialsCsvAsync(Guid id, SearchQueries searches, CancellationToken ct)
    {
        var search = await searches.HeadingAsync(id, ct) ?? throw UserInputException.NotFound("Search", id);
        var trials = await searches.TrialsAsync(id, ct);
        return Results.File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(TrialsCsv.Write(search.Metric, trials))).ToArray(),
            "text/csv; charset=utf-8", $"search-{id:N}-trials.csv");
    }

    private static async Task<IResult> CompareAsync(Guid id, string? trials, CompareTrials compare, CancellationToken ct) =>
        Results.Ok((await compare.HandleAsync(id, trials, ct)).ToDto());

    private static async Task<IResult> ImportanceAsync(Guid id, SearchQueries searches, CancellationToken ct) =>
        Results.Ok((await searches.ImportanceAsync(id, ct)).ToDto());

    private static async Task<IResult> ControlAsync(Guid id, SearchQueries searches, CancellationToken ct, Func<Task<Search>> action)
    {
        await action();
        return Results.Ok((await searches.GetAsync(id, ct)).ToDto());
    }
}
