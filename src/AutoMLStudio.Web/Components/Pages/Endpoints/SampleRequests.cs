using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using AutoMLStudio.Core.Hosting;

namespace AutoMLStudio.Web.Components.Pages.Endpoints;

/// <summary>
/// Ready-to-run predict calls for one endpoint, in curl and in C#, shaped for what its model reads. The key is read from the
/// STUDIO_KEY environment variable so a copied sample never carries a secret.
/// </summary>
public static class SampleRequests
{
    public const string KeyVariable = "STUDIO_KEY";

    // Readable JSON: a column called "size (cm)" or "höhe" stays as written, not escaped to \uXXXX.
    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The endpoint's predict URL on the server the page was opened from.</summary>
    public static string PredictUrl(string baseUri, Guid endpointId) => $"{baseUri.TrimEnd('/')}/api/v1/endpoints/{endpointId}/predict";

    public static string Curl(EndpointInput input, string predictUrl, IReadOnlyList<string> fields)
    {
        var lines = new List<string> { $"curl -X POST \"{predictUrl}\"", $"  -H \"Authorization: Bearer ${KeyVariable}\"" };
        if (input == EndpointInput.Images)
        {
            lines.Add("  -F \"file=@photo.png\"");
        }
        else
        {
            lines.Add("  -H \"Content-Type: application/json\"");
            // Single quotes keep the shell away from the JSON; a quote inside a column name is closed, escaped and reopened.
            lines.Add($"  -d '{InstancesJson(input, fields).Replace("'", "'\\''")}'");
        }
        return string.Join(" \\\n", lines);
    }

    public static string CSharp(EndpointInput input, string predictUrl, IReadOnlyList<string> fields)
    {
        var code = new StringBuilder();
        code.AppendLine("using System.Net.Http.Headers;");
        if (input != EndpointInput.Images) code.AppendLine("using System.Net.Http.Json;");
        code.AppendLine();
        code.AppendLine("using var http = new HttpClient();");
        code.AppendLine($"http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(\"Bearer\", Environment.GetEnvironmentVariable(\"{KeyVariable}\"));");
        if (input == EndpointInput.Images)
        {
            code.AppendLine("using var form = new MultipartFormDataContent();");
            code.AppendLine("// Repeat for several images (at most 256 per request).");
            code.AppendLine("form.Add(new ByteArrayContent(File.ReadAllBytes(\"photo.png\")), \"file\", \"photo.png\");");
            code.AppendLine($"var response = await http.PostAsync({Literal(predictUrl)}, form);");
        }
        else
        {
            var instance = input == EndpointInput.Text
                ? "new Dictionary<string, string?> { [\"text\"] = \"Your text here\" }"
                : $"new Dictionary<string, string?> {{ {string.Join(", ", fields.Select(f => $"[{Literal(f)}] = \"value\""))} }}";
            code.AppendLine($"var body = new {{ instances = new[] {{ {instance} }} }};");
            code.AppendLine($"var response = await http.PostAsJsonAsync({Literal(predictUrl)}, body);");
        }
        code.AppendLine("response.EnsureSuccessStatusCode();");
        code.Append("Console.WriteLine(await response.Content.ReadAsStringAsync());");
        return code.ToString();
    }

    /// <summary>What the endpoint answers, with made-up numbers.</summary>
    public static string Answer(IReadOnlyList<string> classes, bool regression)
    {
        if (regression) return "{\"predictions\": [{\"value\": 42.5}]}";
        var shown = classes.Take(3).ToList();
        var scores = string.Join(", ", shown.Select((c, i) => $"{JsonSerializer.Serialize(c, Readable)}: {(i == 0 ? "0.91" : i == 1 ? "0.07" : "0.02")}"));
        var first = shown.Count > 0 ? JsonSerializer.Serialize(shown[0], Readable) : "\"class\"";
        return $"{{\"predictions\": [{{\"label\": {first}, \"score\": 0.91, \"scores\": {{{scores}{(classes.Count > 3 ? ", ..." : "")}}}}}]}}";
    }

    private static string InstancesJson(EndpointInput input, IReadOnlyList<string> fields)
    {
        var instance = input == EndpointInput.Text
            ? new Dictionary<string, string> { ["text"] = "Your text here" }
            : fields.ToDictionary(f => f, _ => "value");
        return JsonSerializer.Serialize(new { instances = new[] { instance } }, Readable);
    }

    private static string Literal(string text) => $"\"{text.Replace("\\", "\\\\").Replace("\"", "\\\"")}\"";
}
