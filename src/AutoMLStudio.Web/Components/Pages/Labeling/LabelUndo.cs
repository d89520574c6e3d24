namespace AutoMLStudio.Web.Components.Pages.Labeling;

/// <summary>One change made in this session: each item with the label it had before.</summary>
public sealed record UndoStep(IReadOnlyList<(Guid ItemId, string? Label)> Previous);

/// <summary>The changes this labeler made in this page, newest last; U takes back the newest.</summary>
public sealed class LabelUndo
{
    private const int Depth = 200;
    private readonly LinkedList<UndoStep> _steps = [];

    public int Count => _steps.Count;

    public void Push(UndoStep step)
    {
        _steps.AddLast(step);
        if (_steps.Count > Depth) _steps.RemoveFirst();
    }

    public UndoStep? Pop()
    {
        var last = _steps.Last;
        if (last is null) return null;
        _steps.RemoveLast();
        return last.Value;
    }
}
