using System.Text.Json;
using AutoMLStudio.Core;
using AutoMLStudio.Core.Hosting;

namespace AutoMLStudio.Web.Api;

/// <summary>Reads a predict request in any of its forms (multipart images, base64 images, JSON instances) and predicts.</summary>
public static class PredictionRequest
{
    public static async Task<(IReadOnlyList<Prediction> Predictions, IReadOnlyList<PredictionInput> Inputs)> RunAsync(
        HttpRequest request, ModelPredictor predictor, CancellationToken ct)
    {
        // A URL-encoded "form" is what curl -d and many clients send by default, with JSON in it: read as JSON, never as a form.
        var urlEncoded = request.HasFormContentType && !request.ContentType!.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase);
        if (request.HasFormContentType && !urlEncoded)
        {
            var form = await request.ReadFormAsync(ct);
            var files = form.Files.Where(f => f.Name is "file" or "files").ToList();
            if (files.Count == 0)
                throw new UserInputException("No file", "The form has no field named 'file'. Send images as -F file=@image.png (repeat for several).");
            if (files.Count > ModelPredictor.MaxInstances) Refuse(files.Count);
            var images = new List<byte[]>(files.Count);
            foreach (var file in files)
            {
                using var buffer = new MemoryStream((int)file.Length);
                await file.CopyToAsync(buffer, ct);
                images.Add(buffer.ToArray());
            }
            var names = files.Select(f => f.FileName).ToList();
            return (predictor.PredictImages(images, names), [.. images.Select((b, i) => new PredictionInput(names[i], b, null))]);
        }

        if (!urlEncoded && request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) != true)
            throw new UserInputException("Unsupported content type", $"{Accepted}; this request is '{request.ContentType ?? "without a content type"}'.", 415);
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
        }
        catch (JsonException) when (urlEncoded)
        {
            throw new UserInputException("Unsupported content type", $"{Accepted}; this request is '{request.ContentType}' and its body is not JSON.", 415);
        }
        catch (JsonException e)
        {
            throw new UserInputException("Invalid JSON", $"The body is not valid JSON: {e.Message}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("instances", out var instances) && instances.ValueKind == JsonValueKind.Array)
            {
                var list = instances.EnumerateArray().ToList();
                if (list.Count > ModelPredictor.MaxInstances) Refuse(list.Count);
                return (predictor.PredictInstances(list), [.. list.Select((e, i) => new PredictionInput($"instance {i}", null, e.GetRawText()))]);
            }
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("images", out var encoded) && encoded.ValueKind == JsonValueKind.Array)
            {
                var list = encoded.EnumerateArray().ToList();
                if (list.Count > ModelPredictor.MaxInstances) Refuse(list.Count);
                var images = list.Select((e, i) => Base64(e, i)).ToList();
                var names = list.Select((_, i) => $"image {i}").ToList();
                return (predictor.PredictImages(images, names), [.. images.Select((b, i) => new PredictionInput(names[i], b, null))]);
            }
        }
        throw new UserInputException("Nothing to predict",
            "The JSON has neither \"instances\" (an array of rows) nor \"images\" (an array of base64 strings).");
    }

    private const string Accepted =
        "Send images as multipart/form-data files named 'file', or application/json with \"images\" (base64) or \"instances\" (rows)";

    private static byte[] Base64(JsonElement element, int index)
    {
        if (element.ValueKind == JsonValueKind.String)
        {
            var text = element.GetString()!;
            // A data URL (as a browser's FileReader gives) carries its base64 after the comma.
            var comma = text.StartsWith("data:", StringComparison.Ordinal) ? text.IndexOf(',') : -1;
            try
            {
                return Convert.FromBase64String(comma >= 0 ? text[(comma + 1)..] : text);
            }
            catch (FormatException) { }
        }
        throw new UserInputException("Not base64", $"images[{index}] is not a base64 string of an image file.");
    }

    private static void Refuse(int count) =>
        throw new UserInputException("Too many inputs",
            $"One request can carry at most {ModelPredictor.MaxInstances}; this one has {count}. Split it, or use batch prediction.", 413);
}
