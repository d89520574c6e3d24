using System.Globalization;
using AutoMLStudio.Core;
using Microsoft.OpenApi;

namespace AutoMLStudio.Web.Api;

/// <summary>
/// The skip and take of a list route, read and checked in one place so that every list refuses bad paging with the same
/// problem, and answers one page with the total in <see cref="TotalHeader"/>: the body keeps its shape (a JSON array),
/// so clients that read the list before paging existed still work, on its first page.
/// </summary>
public sealed class Paging
{
    public const int DefaultTake = 100;
    public const int MaxTake = 500;
    public const string TotalHeader = "X-Total-Count";

    private readonly HttpResponse _response;

    private Paging(int skip, int take, HttpResponse response)
    {
        Skip = skip;
        Take = take;
        _response = response;
    }

    public int Skip { get; }
    public int Take { get; }

    // Bound by hand rather than as int? parameters: a failed int binding answers a bare 400 without a detail.
    public static ValueTask<Paging?> BindAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var skip = Read(query, "skip", 0, 0, int.MaxValue, "'skip' must be a whole number, 0 or more: how many entries to pass over.");
        var take = Read(query, "take", DefaultTake, 1, MaxTake,
            $"'take' must be a whole number from 1 to {MaxTake} (default {DefaultTake}): how many entries to return. For more, ask for the next page " +
            $"with skip; the {TotalHeader} header says how many there are in all.");
        return ValueTask.FromResult<Paging?>(new Paging(skip, take, context.Response));
    }

    /// <summary>The page a Core query is asked for.</summary>
    public PageRequest Request => new(Skip, Take);

    /// <summary>Sets the total header and answers the page's entries, for a page a Core query read.</summary>
    public IReadOnlyList<T> Answer<T>(Page<T> page)
    {
        ArgumentNullException.ThrowIfNull(page);
        _response.Headers[TotalHeader] = page.Total.ToString(CultureInfo.InvariantCulture);
        return page.Items;
    }

    private static int Read(IQueryCollection query, string name, int fallback, int min, int max, string rule)
    {
        var values = query[name];
        if (values.Count == 0 || (values.Count == 1 && string.IsNullOrEmpty(values[0]))) return fallback;
        if (values.Count > 1 || !int.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            throw new UserInputException("Invalid paging", rule);
        return value;
    }
}

public static class PagingRoutes
{
    /// <summary>Describes the paging of a route that takes <see cref="Paging"/> in its OpenAPI operation.</summary>
    public static RouteHandlerBuilder Paged(this RouteHandlerBuilder route) => route
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Summary += $" (paged: skip, take 1 to {Paging.MaxTake}, default {Paging.DefaultTake}; the total in the {Paging.TotalHeader} header)";
            operation.Parameters ??= [];
            operation.Parameters.Add(Parameter("skip", "How many entries to pass over (default 0)."));
            operation.Parameters.Add(Parameter("take", $"How many entries to return: 1 to {Paging.MaxTake}, default {Paging.DefaultTake}."));
            if (operation.Responses?.GetValueOrDefault("200") is OpenApiResponse ok)
            {
                ok.Headers ??= new Dictionary<string, IOpenApiHeader>();
                ok.Headers[Paging.TotalHeader] = new OpenApiHeader
                {
                    Description = "How many entries the list has in all, across its pages.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.Integer },
                };
            }
            return Task.CompletedTask;
        });

    private static OpenApiParameter Parameter(string name, string description) => new()
    {
        Name = name, In = ParameterLocation.Query, Description = description, Schema = new OpenApiSchema { Type = JsonSchemaType.Integer },
    };
}
