using AutoMLStudio.Core;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace AutoMLStudio.Web.Components.Shared;

/// <summary>
/// What every studio page does the same way, as MudBlazor's components share a base: run a user's action while showing
/// it busy and keep its error for the page to show, and re-read something on a timer that a single fault does not stop.
/// </summary>
public abstract class StudioComponentBase : ComponentBase
{
    /// <summary>What the user reads when an action failed for a reason that is not theirs to fix.</summary>
    public static readonly UserInputException Unexpected = new("Something went wrong",
        "The studio could not finish this. Try again; if it keeps failing, an administrator finds the cause in the server log.", 500);

    private ILogger? _logger;

    [Inject] private ILoggerFactory Loggers { get; set; } = default!;
    [Inject] private IServiceProvider Services { get; set; } = default!;

    protected ILogger Logger => _logger ??= Loggers.CreateLogger(GetType());

    /// <summary>
    /// Runs <paramref name="work"/> with <paramref name="action"/> busy. A <see cref="UserInputException"/> becomes the
    /// action's error; any other fault is logged and becomes <see cref="Unexpected"/>, so the circuit never dies of it.
    /// </summary>
    /// <returns>Whether the work finished.</returns>
    protected async Task<bool> RunAsync(BusyAction action, Func<Task> work)
    {
        action.Busy = true;
        action.Error = null;
        StateHasChanged();
        try
        {
            await work();
            return true;
        }
        catch (UserInputException e)
        {
            action.Error = e;
            return false;
        }
        catch (OperationCanceledException)
        {
            return false; // the page closed or the user cancelled: nothing to tell
        }
        catch (Exception e)
        {
            Logger.LogError(e, "An action on {Component} failed", GetType().Name);
            action.Error = Unexpected;
            return false;
        }
        finally
        {
            action.Busy = false;
            StateHasChanged();
        }
    }

    /// <summary>The same, for actions whose outcome shows as a snackbar rather than next to a form.</summary>
    protected async Task<bool> RunInSnackbarAsync(BusyAction action, Func<Task> work, string? success = null)
    {
        var done = await RunAsync(action, work);
        var snackbar = Services.GetRequiredService<ISnackbar>();
        if (action.Error is { } error) snackbar.Add(error.Detail, Severity.Error);
        else if (done && success is not null) snackbar.Add(success, Severity.Info);
        action.Clear();
        return done;
    }

    /// <summary>
    /// Calls <paramref name="poll"/> on the renderer's thread every <paramref name="every"/> and re-renders, while
    /// <paramref name="keepGoing"/> holds and until <paramref name="stop"/> (the page's own, cancelled when it is disposed).
    /// A poll that throws is logged and the next one still comes: a locked database for one second must not freeze the page.
    /// </summary>
    protected async Task PollAsync(TimeSpan every, Func<Task> poll, CancellationToken stop, Func<bool>? keepGoing = null)
    {
        using var timer = new PeriodicTimer(every);
        try
        {
            while ((keepGoing?.Invoke() ?? true) && await timer.WaitForNextTickAsync(stop))
            {
                try
                {
                    await InvokeAsync(async () =>
                    {
                        await poll();
                        StateHasChanged();
                    });
                }
                catch (Exception e) when (!stop.IsCancellationRequested)
                {
                    Logger.LogWarning(e, "A refresh of {Component} failed; the next one follows in {Every}", GetType().Name, every);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (ObjectDisposedException) when (stop.IsCancellationRequested)
        {
        }
    }

    protected Task PollAsync(TimeSpan every, Action poll, CancellationToken stop, Func<bool>? keepGoing = null) =>
        PollAsync(every, () =>
        {
            poll();
            return Task.CompletedTask;
        }, stop, keepGoing);
}
