using System.Globalization;

namespace AutoMLStudio.Engine.Search;

/// <summary>Reading and writing the string-valued choices (numbers, yes/no) of flat parameter spaces.</summary>
internal static class SpaceValues
{
    public static readonly string[] YesNo = ["true", "false"];

    public static bool Flag(ParameterSet p, string name) => p.GetString(name) == "true";

    public static string Flag(bool value) => value ? "true" : "false";

    public static int Int(ParameterSet p, string name) => int.Parse(p.GetString(name), CultureInfo.InvariantCulture);

    public static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static string[] Texts(params int[] values) => [.. values.Select(Text)];

    /// <summary>The listed choice nearest to <paramref name="value"/>, so an encoded config always lands inside its space.</summary>
    public static string Nearest(int value, IReadOnlyList<string> choices) =>
        choices.MinBy(c => Math.Abs(int.Parse(c, CultureInfo.InvariantCulture) - value))!;
}
