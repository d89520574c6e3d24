using System.Text;

namespace AutoMLStudio.Web.Components.Shared;

/// <summary>Search-space parameters in words for the charts: "learningRatePosition" reads "learning rate position".</summary>
public static class ParameterLabels
{
    /// <summary>The camelCase name split into lower-case words, digits apart ("block1Op" is "block 1 op").</summary>
    public static string Words(string name)
    {
        var words = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            var previous = i > 0 ? name[i - 1] : ' ';
            var startsWord = i > 0 && (char.IsUpper(c) || (char.IsDigit(c) != char.IsDigit(previous)));
            if (startsWord) words.Append(' ');
            words.Append(char.ToLowerInvariant(c));
        }
        return words.ToString();
    }

    /// <summary>The words broken into at most two lines of about <paramref name="width"/> characters, for a narrow axis title.</summary>
    public static IReadOnlyList<string> Lines(string text, int width = 13)
    {
        var lines = new List<string> { "" };
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (lines[^1].Length > 0 && lines[^1].Length + 1 + word.Length > width && lines.Count < 2) lines.Add("");
            lines[^1] = lines[^1].Length == 0 ? word : $"{lines[^1]} {word}";
        }
        return lines;
    }
}
