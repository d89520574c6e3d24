using Microsoft.EntityFrameworkCore;

namespace AutoMLStudio.Core;

/// <summary>Which part of a list a caller wants: pages and API routes ask queries for one page at a time.</summary>
public sealed record PageRequest(int Skip, int Take)
{
    /// <summary>The whole list, for pages that show everything.</summary>
    public static PageRequest All { get; } = new(0, int.MaxValue);
}

/// <summary>One page of a list and how many entries the whole list has.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int Total);

public static class PageQueries
{
    /// <summary>Counts <paramref name="ordered"/> and reads the requested page of it.</summary>
    public static async Task<Page<T>> PageAsync<T>(this IQueryable<T> ordered, PageRequest page, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(page);
        var total = await ordered.CountAsync(ct);
        var items = await ordered.Skip(page.Skip).Take(page.Take).ToListAsync(ct);
        return new Page<T>(items, total);
    }
}
