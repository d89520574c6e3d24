using AutoMLStudio.Core;

namespace AutoMLStudio.Web.Components.Shared;

/// <summary>One of a page's actions as the page shows it: whether it runs, and the error it last ended with.</summary>
/// <remarks>A page may hold several (one per button), so one running action disables only its own button.</remarks>
public sealed class BusyAction
{
    public bool Busy { get; internal set; }

    /// <summary>What went wrong the last time, in words for the user; null after a success or <see cref="Clear"/>.</summary>
    public UserInputException? Error { get; internal set; }

    /// <summary>The error as one sentence pair, as most inline alerts show it.</summary>
    public string? ErrorText(string separator = ": ") => Error is null ? null : $"{Error.Title}{separator}{Error.Detail}";

    public void Clear() => Error = null;
}
