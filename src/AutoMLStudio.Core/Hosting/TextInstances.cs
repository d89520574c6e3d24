using System.Text.Json;
using AutoMLStudio.Engine.Text;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace AutoMLStudio.Core.Hosting;

/// <summary>Texts as <c>{"text": "..."}</c>, tokenized as in training and padded to the longest.</summary>
public sealed class TextInstances(TextTokenizer tokenizer, TextClassifierArchitecture architecture) : IInstanceReader
{
    public bool Regression => false;

    public string Describe() => "texts as {\"text\": \"...\"}";

    public IReadOnlyCollection<NamedOnnxValue> Read(IReadOnlyList<JsonElement> instances)
    {
        var encoded = new List<int[]>(instances.Count);
        for (var i = 0; i < instances.Count; i++)
        {
            var instance = Instances.Object(instances[i], i);
            if (!instance.TryGetProperty("text", out var text) || text.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                throw new UserInputException("Text missing", $"Instance {i} has no \"text\" string. Send {{\"instances\": [{{\"text\": \"...\"}}]}}.");
            encoded.Add(architecture.Encode(tokenizer, text.GetString()));
        }
        // An empty text still needs one position; the padding id 0 reads as "no words" inside the graph.
        var length = Math.Max(1, encoded.Max(e => e.Length));
        var ids = new long[instances.Count * length];
        for (var i = 0; i < encoded.Count; i++)
            for (var j = 0; j < encoded[i].Length; j++) ids[i * length + j] = encoded[i][j];
        return [NamedOnnxValue.CreateFromTensor("ids", new DenseTensor<long>(ids, [instances.Count, length]))];
    }
}
