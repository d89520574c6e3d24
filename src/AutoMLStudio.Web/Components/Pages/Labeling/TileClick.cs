namespace AutoMLStudio.Web.Components.Pages.Labeling;

/// <summary>A click on a tile: <see cref="Toggle"/> for Ctrl/Cmd, <see cref="Range"/> for Shift.</summary>
public readonly record struct TileClick(int Index, bool Toggle, bool Range);
