namespace AutoMLStudio.Engine.Tests;

/// <summary>Checkpoint folders a test class makes, deleted when it is disposed.</summary>
internal sealed class TempFolders : IDisposable
{
    private readonly List<string> _folders = [];

    public string New()
    {
        var folder = TestData.TempFolder();
        _folders.Add(folder);
        return folder;
    }

    public void Dispose()
    {
        foreach (var folder in _folders.Where(Directory.Exists)) Directory.Delete(folder, recursive: true);
    }
}
