namespace AutoMLStudio.Web.Components.Pages.Labeling;

public enum LabelCommand { None, AssignLabel, MoveLeft, MoveRight, MoveUp, MoveDown, Confirm, Undo, ClearSelection }

/// <summary>A key press as a labeling command; <see cref="LabelNumber"/> (1-9) says which label for <see cref="LabelCommand.AssignLabel"/>.</summary>
public readonly record struct LabelKey(LabelCommand Command, int LabelNumber = 0);

/// <summary>The keyboard shortcuts of the labeling page: one table for the key handler and for the legend on screen.</summary>
public static class LabelShortcuts
{
    public const int MaxNumberedLabels = 9;

    public static readonly IReadOnlyList<(string Keys, string Does)> Legend =
    [
        ("1–9", "give the label with that number, then go to the next item"),
        ("← → ↑ ↓", "move"),
        ("Enter", "keep the label (or take the suggestion), next item"),
        ("U", "undo your last change"),
        ("Esc", "clear the selection"),
        ("Click · Ctrl+click · Shift+click", "select one · add or remove · select a range"),
    ];

    /// <summary>Maps a DOM <c>KeyboardEvent.key</c>; keys with Ctrl, Alt or Meta belong to the browser.</summary>
    public static LabelKey Map(string key, bool withModifier = false)
    {
        if (withModifier) return default;
        if (key.Length == 1 && key[0] is >= '1' and <= '9') return new LabelKey(LabelCommand.AssignLabel, key[0] - '0');
        return key switch
        {
            "ArrowLeft" => new LabelKey(LabelCommand.MoveLeft),
            "ArrowRight" => new LabelKey(LabelCommand.MoveRight),
            "ArrowUp" => new LabelKey(LabelCommand.MoveUp),
            "ArrowDown" => new LabelKey(LabelCommand.MoveDown),
            "Enter" => new LabelKey(LabelCommand.Confirm),
            "u" or "U" => new LabelKey(LabelCommand.Undo),
            "Escape" => new LabelKey(LabelCommand.ClearSelection),
            _ => default,
        };
    }

    /// <summary>How far a move command takes the focus in a grid <paramref name="columns"/> wide.</summary>
    public static int Step(LabelCommand command, int columns) => command switch
    {
        LabelCommand.MoveLeft => -1,
        LabelCommand.MoveRight or LabelCommand.Confirm or LabelCommand.AssignLabel => 1,
        LabelCommand.MoveUp => -columns,
        LabelCommand.MoveDown => columns,
        _ => 0,
    };
}
