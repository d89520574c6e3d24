namespace AutoMLStudio.Engine.Onnx;

// Embedding a graph another converter wrote (ML.NET's), so that our own nodes feed its inputs and read its outputs.
internal sealed partial class OnnxGraph
{
    private const int GraphValueInfo = 13;
    private const int TensorNameField = 8;

    private readonly List<(string Domain, long Version)> _embeddedDomains = [];
    private long? _embeddedOpset;

    /// <summary>
    /// Copies the nodes, initializers and value infos of the serialised ModelProto <paramref name="model"/> into this
    /// graph, leaving out its declared inputs and outputs: each of its inputs must already be a value here (a node of
    /// this graph named like it), and its node outputs become values that later nodes of this graph read. The graph stays
    /// at <see cref="Opset"/>: a model of opset <see cref="UpgradableOpset"/> has its default-domain nodes rewritten to
    /// mean the same there (<see cref="Upgraded"/>); its other domains (<c>ai.onnx.ml</c>) are imported as they are.
    /// </summary>
    /// <exception cref="InvalidDataException">The model is malformed, or needs an input this graph does not produce.</exception>
    /// <exception cref="NotSupportedException">The model is of another opset, or has a node whose meaning changed in opset 13.</exception>
    public void Embed(ReadOnlySpan<byte> model)
    {
        if (_embeddedOpset is not null) throw new InvalidOperationException("A graph embeds at most one model.");
        var reader = new ProtoReader(model);
        ReadOnlySpan<byte> graph = default;
        while (reader.Next(out var field, out var wireType))
        {
            if (field == ModelGraph) graph = reader.ReadBytes();
            else if (field == ModelOpsetImport) ReadOpset(reader.ReadBytes());
            else reader.Skip(wireType);
        }
        if (graph.IsEmpty) throw ProtoReader.Invalid("no graph");
        _embeddedOpset ??= Opset;
        if (_embeddedOpset is not (UpgradableOpset or Opset))
            throw new NotSupportedException($"The converted model is of opset {_embeddedOpset}; the studio embeds only opset {UpgradableOpset} or {Opset}.");
        var upgrade = _embeddedOpset == UpgradableOpset;

        var parts = new ProtoReader(graph);
        while (parts.Next(out var field, out var wireType))
        {
            switch (field)
            {
                case GraphInput:
                    var input = FirstString(parts.ReadBytes(), ValueName);
                    if (!_names.Contains(input)) throw new InvalidDataException($"The embedded graph reads '{input}', which this graph does not produce.");
                    break;
                case GraphNode:
                    var node = upgrade ? Upgraded(parts.ReadBytes()) : parts.ReadBytes().ToArray();
                    foreach (var output in Strings(node, NodeOutput)) if (output.Length > 0) Claim(output);
                    _graph.Bytes(GraphNode, node);
                    break;
                case GraphInitializer:
                    var tensor = parts.ReadBytes();
                    Claim(FirstString(tensor, TensorNameField));
                    _graph.Bytes(GraphInitializer, tensor);
                    break;
                case GraphValueInfo:
                    _graph.Bytes(GraphValueInfo, parts.ReadBytes());
                    break;
                default:
                    parts.Skip(wireType);
                    break;
            }
        }
    }

    private void ReadOpset(ReadOnlySpan<byte> opset)
    {
        var reader = new ProtoReader(opset);
        var (domain, version) = ("", 0L);
        while (reader.Next(out var field, out var wireType))
        {
            if (field == OpsetDomain) domain = reader.ReadString();
            else if (field == OpsetVersion) version = (long)reader.ReadVarint();
            else reader.Skip(wireType);
        }
        if (domain is "" or "ai.onnx") _embeddedOpset = version;
        else _embeddedDomains.Add((domain, version));
    }

    private static string FirstString(ReadOnlySpan<byte> message, int wanted) =>
        Strings(message, wanted).FirstOrDefault() ?? throw ProtoReader.Invalid($"a message without field {wanted}");

    private static List<string> Strings(ReadOnlySpan<byte> message, int wanted)
    {
        var values = new List<string>();
        var reader = new ProtoReader(message);
        while (reader.Next(out var field, out var wireType))
        {
            if (field == wanted && wireType == ProtoReader.LengthDelimited) values.Add(reader.ReadString());
            else reader.Skip(wireType);
        }
        return values;
    }
}
