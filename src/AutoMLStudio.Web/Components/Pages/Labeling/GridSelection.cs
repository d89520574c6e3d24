namespace AutoMLStudio.Web.Components.Pages.Labeling;

/// <summary>
/// Which items of the current filter are selected and which one has the keyboard focus, by position in the filter's
/// order (a range is a range of what the labeler sees). Click selects one, toggle adds or removes one, range selects
/// from the last clicked item (the anchor) to this one.
/// </summary>
public sealed class GridSelection
{
    private readonly HashSet<int> _selected = [];

    public int ItemCount { get; private set; }
    /// <summary>The focused position, or -1 when there is nothing to focus.</summary>
    public int Focus { get; private set; } = -1;
    public int? Anchor { get; private set; }
    public int Count => _selected.Count;

    public bool IsSelected(int index) => _selected.Contains(index);

    public IReadOnlyList<int> Selected => _selected.Order().ToList();

    /// <summary>What a label key applies to: the selection, or the focused item when nothing is selected.</summary>
    public IReadOnlyList<int> Targets => _selected.Count > 0 ? Selected : Focus >= 0 ? [Focus] : [];

    public void Reset(int itemCount)
    {
        ItemCount = itemCount;
        _selected.Clear();
        Anchor = null;
        Focus = itemCount > 0 ? 0 : -1;
    }

    public void Click(int index, bool toggle = false, bool range = false)
    {
        if (index < 0 || index >= ItemCount) return;
        if (range)
        {
            var from = Anchor ?? Math.Max(Focus, 0);
            // Ctrl+Shift adds the range to what is selected; Shift alone replaces it.
            if (!toggle) _selected.Clear();
            for (var i = Math.Min(from, index); i <= Math.Max(from, index); i++) _selected.Add(i);
            Anchor = from;
        }
        else if (toggle)
        {
            if (!_selected.Remove(index)) _selected.Add(index);
            Anchor = index;
        }
        else
        {
            _selected.Clear();
            _selected.Add(index);
            Anchor = index;
        }
        Focus = index;
    }

    public void Move(int delta)
    {
        if (ItemCount == 0) return;
        Focus = Math.Clamp(Focus + delta, 0, ItemCount - 1);
    }

    public void FocusOn(int index)
    {
        if (index >= 0 && index < ItemCount) Focus = index;
    }

    public void Clear()
    {
        _selected.Clear();
        Anchor = null;
    }
}
