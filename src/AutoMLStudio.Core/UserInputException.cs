namespace AutoMLStudio.Core;

/// <summary>
/// The request cannot be done as asked; <see cref="Detail"/> tells a non-expert what was wrong and what to do.
/// The host turns it into RFC 7807 problem details with <see cref="Status"/>.
/// </summary>
public sealed class UserInputException(string title, string detail, int status = 400) : Exception(detail)
{
    public string Title { get; } = title;
    public string Detail { get; } = detail;
    public int Status { get; } = status;

    public static UserInputException NotFound(string what, Guid id) =>
        new($"{what} not found", $"There is no {what.ToLowerInvariant()} with id {id}. Check the id, or list them to find it.", 404);
}
