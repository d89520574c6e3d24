using AutoMLStudio.Core.Hosting;
using AutoMLStudio.Core.Registry;
using AutoMLStudio.Core.Searches.Pipelines;
using AutoMLStudio.Web.Components.Shared;

namespace AutoMLStudio.Web.Components.Pages.Endpoints;

/// <summary>An endpoint with the model version it serves, in the words the endpoint pages show it.</summary>
public sealed record EndpointSummary(EndpointView Endpoint)
{
    public string ModelName => Endpoint.ModelName;

    /// <summary>The version served now.</summary>
    public int Version => Endpoint.Version;

    /// <summary>The served version's stage.</summary>
    public ModelStage Stage => Endpoint.Stage;

    public ModelCard Card => Endpoint.Card;

    public EndpointInput Input => Endpoint.Input;

    public bool IsRegression => Endpoint.IsRegression;

    /// <summary>The columns a row must carry (tabular models only).</summary>
    public IReadOnlyList<string> Fields => Endpoint.Fields;

    public string Task => TaskPipelines.WordsOf(Card.Task).Purpose;

    /// <summary>What to send, in words for someone who has not read the model card.</summary>
    public string Accepts => Input switch
    {
        EndpointInput.Images => $"{(Card.Input!.Channels == 1 ? "Grayscale" : "Colour")} images (PNG, JPEG, BMP, WebP or GIF), " +
                                $"resized to {Card.Input.Width}×{Card.Input.Height} pixels",
        EndpointInput.Text => "Texts",
        _ => $"Table rows with the column{(Fields.Count == 1 ? "" : "s")} {Formats.List(Fields)}",
    };
}
