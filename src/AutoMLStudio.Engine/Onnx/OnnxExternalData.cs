namespace AutoMLStudio.Engine.Onnx;

/// <summary>
/// Finds the tensors of an ONNX model whose data lives in other files (<c>data_location = EXTERNAL</c>). A runtime
/// resolves such paths relative to the model, so an uploaded model with one could read files of the host; the walk
/// therefore covers every place a tensor can sit, not only the main graph's initializers.
/// </summary>
internal static class OnnxExternalData
{
    // Deeper nesting than this is no model anyone exports; refusing it keeps a crafted file from exhausting the stack.
    private const int MaxGraphDepth = 32;
    private const int External = 1;
    private const int Bytes = ProtoReader.LengthDelimited;

    public static List<string> Tensors(ReadOnlySpan<byte> model)
    {
        var found = new List<string>();
        bool hasVersion = false, hasGraph = false;
        var reader = new ProtoReader(model);
        while (reader.Next(out var field, out var wireType))
        {
            switch (field)
            {
                case 1: // ir_version
                    ProtoReader.Expect(wireType, ProtoReader.Varint, "an ir_version");
                    reader.ReadVarint();
                    hasVersion = true;
                    break;
                case 7: // graph
                    ProtoReader.Expect(wireType, Bytes, "a graph");
                    Graph(reader.ReadBytes(), found, 0);
                    hasGraph = true;
                    break;
                case 20: // training_info: initialization (1) and algorithm (2) graphs
                    ProtoReader.Expect(wireType, Bytes, "a training_info");
                    Graphs(reader.ReadBytes(), [1, 2], found, 0);
                    break;
                case 25: // functions: their nodes (7)
                    ProtoReader.Expect(wireType, Bytes, "a function");
                    Nodes(reader.ReadBytes(), 7, found, 0);
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }
        if (!hasVersion || !hasGraph) throw new InvalidDataException("Not a valid ONNX model: it has no IR version or no graph.");
        return found;
    }

    private static void Graph(ReadOnlySpan<byte> graph, List<string> found, int depth)
    {
        if (depth > MaxGraphDepth) throw new InvalidDataException($"Not a valid ONNX model: graphs nest deeper than {MaxGraphDepth} levels.");
        var reader = new ProtoReader(graph);
        while (reader.Next(out var field, out var wireType))
        {
            switch (field)
            {
                case 1: // node
                    ProtoReader.Expect(wireType, Bytes, "a node");
                    Node(reader.ReadBytes(), found, depth);
                    break;
                case 5: // initializer
                    ProtoReader.Expect(wireType, Bytes, "an initializer");
                    Tensor(reader.ReadBytes(), "", found);
                    break;
                case 15: // sparse_initializer: values (1) and indices (2)
                    ProtoReader.Expect(wireType, Bytes, "a sparse initializer");
                    SparseTensor(reader.ReadBytes(), "", found);
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }
    }

    // Reads the nodes (field nodeField) of a message, as in FunctionProto.
    private static void Nodes(ReadOnlySpan<byte> message, int nodeField, List<string> found, int depth)
    {
        var reader = new ProtoReader(message);
        while (reader.Next(out var field, out var wireType))
        {
            if (field != nodeField) { reader.Skip(wireType); continue; }
            ProtoReader.Expect(wireType, Bytes, "a node");
            Node(reader.ReadBytes(), found, depth);
        }
    }

    // Reads the graphs at the given fields of a message, as in TrainingInfoProto.
    private static void Graphs(ReadOnlySpan<byte> message, int[] graphFields, List<string> found, int depth)
    {
        var reader = new ProtoReader(message);
        while (reader.Next(out var field, out var wireType))
        {
            if (!graphFields.Contains(field)) { reader.Skip(wireType); continue; }
            ProtoReader.Expect(wireType, Bytes, "a graph");
            Graph(reader.ReadBytes(), found, depth + 1);
        }
    }

    private static void Node(ReadOnlySpan<byte> node, List<string> found, int depth)
    {
        var name = "";
        var reader = new ProtoReader(node);
        // The node's name may follow its attributes, so attributes are read in a second pass once it is known.
        while (reader.Next(out var field, out var wireType))
        {
            if (field == 3 && wireType == Bytes) name = reader.ReadString();
            else reader.Skip(wireType);
        }
        reader = new ProtoReader(node);
        while (reader.Next(out var field, out var wireType))
        {
            if (field != 5) { reader.Skip(wireType); continue; }
            ProtoReader.Expect(wireType, Bytes, "an attribute");
            Attribute(reader.ReadBytes(), name, found, depth);
        }
    }

    private static void Attribute(ReadOnlySpan<byte> attribute, string node, List<string> found, int depth)
    {
        var name = "";
        var reader = new ProtoReader(attribute);
        while (reader.Next(out var field, out var wireType))
        {
            if (field == 1 && wireType == Bytes) name = reader.ReadString();
            else reader.Skip(wireType);
        }
        var label = $"{node}.{name}";
        reader = new ProtoReader(attribute);
        while (reader.Next(out var field, out var wireType))
        {
            switch (field)
            {
                case 5 or 10: // t, tensors
                    ProtoReader.Expect(wireType, Bytes, "a tensor attribute");
                    Tensor(reader.ReadBytes(), label, found);
                    break;
                case 6 or 11: // g, graphs
                    ProtoReader.Expect(wireType, Bytes, "a graph attribute");
                    Graph(reader.ReadBytes(), found, depth + 1);
                    break;
                case 22 or 23: // sparse_tensor, sparse_tensors
                    ProtoReader.Expect(wireType, Bytes, "a sparse tensor attribute");
                    SparseTensor(reader.ReadBytes(), label, found);
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }
    }

    private static void SparseTensor(ReadOnlySpan<byte> sparse, string label, List<string> found)
    {
        var reader = new ProtoReader(sparse);
        while (reader.Next(out var field, out var wireType))
        {
            if (field is not (1 or 2)) { reader.Skip(wireType); continue; }
            ProtoReader.Expect(wireType, Bytes, "a sparse tensor part");
            Tensor(reader.ReadBytes(), label, found);
        }
    }

    // A tensor without a name (an attribute's constant) is reported as "node.attribute".
    private static void Tensor(ReadOnlySpan<byte> tensor, string label, List<string> found)
    {
        var name = "";
        var external = false;
        var reader = new ProtoReader(tensor);
        while (reader.Next(out var field, out var wireType))
        {
            if (field == 8 && wireType == Bytes) name = reader.ReadString();
            else if (field == 14 && wireType == ProtoReader.Varint) external = reader.ReadVarint() == External;
            else reader.Skip(wireType);
        }
        if (external) found.Add(name.Length > 0 ? name : label);
    }
}
