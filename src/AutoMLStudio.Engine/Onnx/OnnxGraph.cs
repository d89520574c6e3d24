using System.Buffers.Binary;

namespace AutoMLStudio.Engine.Onnx;

/// <summary>Element types of graph inputs and initializers (ONNX <c>TensorProto.DataType</c> values).</summary>
internal enum OnnxType
{
    Float = 1,
    Int64 = 7,
}

/// <summary>One dimension of a graph input or output: a fixed size, or a name such as "N" that the runtime binds.</summary>
internal readonly record struct OnnxDim(long Value, string? Symbol)
{
    public static OnnxDim Named(string symbol) => new(0, symbol);

    public static implicit operator OnnxDim(long value) => new(value, null);
}

/// <summary>
/// Builds an ONNX graph (opset 13) and serialises it as a ModelProto. Every node has one output named like the node,
/// so a name is both the step and its value; names must be unique, which catches a layer emitted twice.
/// </summary>
internal sealed partial class OnnxGraph(string name)
{
    public const long IrVersion = 7;
    public const long Opset = 13;
    public const string Producer = "AutoMLStudio";

    // Field numbers of onnx.proto, named where they are used.
    private const int ModelIrVersion = 1, ModelProducerName = 2, ModelProducerVersion = 3, ModelGraph = 7, ModelOpsetImport = 8;
    private const int OpsetDomain = 1, OpsetVersion = 2;
    private const int GraphNode = 1, GraphName = 2, GraphInitializer = 5, GraphInput = 11, GraphOutput = 12;
    private const int NodeInput = 1, NodeOutput = 2, NodeName = 3, NodeOpType = 4, NodeAttribute = 5;
    private const int TensorDims = 1, TensorDataType = 2, TensorName = 8, TensorRawData = 9;
    private const int ValueName = 1, ValueType = 2, TypeTensor = 1, TensorElemType = 1, TensorShape = 2, ShapeDim = 1;
    private const int DimValue = 1, DimParam = 2;

    private readonly ProtoWriter _graph = new ProtoWriter().String(GraphName, name);
    private readonly HashSet<string> _names = [];

    public string Input(string input, OnnxType type, params OnnxDim[] shape)
    {
        Claim(input);
        _graph.Message(GraphInput, ValueInfo(input, type, shape));
        return input;
    }

    public void Output(string value, OnnxType type, params OnnxDim[] shape)
    {
        if (!_names.Contains(value)) throw new InvalidOperationException($"Graph output '{value}' is produced by no node.");
        _graph.Message(GraphOutput, ValueInfo(value, type, shape));
    }

    public string Initializer(string tensor, ReadOnlySpan<float> values, params long[] dims)
    {
        var raw = new byte[values.Length * sizeof(float)];
        for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(i * sizeof(float)), values[i]);
        return Initializer(tensor, OnnxType.Float, raw, dims);
    }

    public string Initializer(string tensor, ReadOnlySpan<long> values, params long[] dims)
    {
        var raw = new byte[values.Length * sizeof(long)];
        for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(raw.AsSpan(i * sizeof(long)), values[i]);
        return Initializer(tensor, OnnxType.Int64, raw, dims);
    }

    /// <summary>Adds a node whose single output is called <paramref name="output"/>, and returns that name.</summary>
    public string Node(string opType, string output, IReadOnlyList<string> inputs, params OnnxAttribute[] attributes)
    {
        Claim(output);
        _graph.Message(GraphNode, node =>
        {
            foreach (var input in inputs)
            {
                if (input.Length > 0 && !_names.Contains(input)) throw new InvalidOperationException($"Node '{output}' reads '{input}', which nothing produces.");
                node.String(NodeInput, input);
            }
            node.String(NodeOutput, output).String(NodeName, output).String(NodeOpType, opType);
            foreach (var attribute in attributes) node.Message(NodeAttribute, attribute.Write);
        });
        return output;
    }

    /// <summary>Whether a graph input, initializer or node already has the name <paramref name="value"/>.</summary>
    public bool Has(string value) => _names.Contains(value);

    public byte[] ToModel()
    {
        var model = new ProtoWriter()
            .Int(ModelIrVersion, IrVersion)
            .String(ModelProducerName, Producer)
            .String(ModelProducerVersion, typeof(OnnxGraph).Assembly.GetName().Version?.ToString() ?? "0")
            .Message(ModelGraph, _graph)
            .Message(ModelOpsetImport, opset => opset.String(OpsetDomain, "").Int(OpsetVersion, Opset));
        foreach (var (domain, version) in _embeddedDomains)
            model.Message(ModelOpsetImport, opset => opset.String(OpsetDomain, domain).Int(OpsetVersion, version));
        return model.ToArray();
    }

    private string Initializer(string tensor, OnnxType type, byte[] raw, long[] dims)
    {
        Claim(tensor);
        _graph.Message(GraphInitializer, t =>
        {
            foreach (var dim in dims) t.Int(TensorDims, dim);
            t.Int(TensorDataType, (long)type).String(TensorName, tensor).Bytes(TensorRawData, raw);
        });
        return tensor;
    }

    private static ProtoWriter ValueInfo(string value, OnnxType type, OnnxDim[] shape) => new ProtoWriter()
        .String(ValueName, value)
        .Message(ValueType, t => t.Message(TypeTensor, tensor => tensor
            .Int(TensorElemType, (long)type)
            .Message(TensorShape, s =>
            {
                foreach (var dim in shape)
                    s.Message(ShapeDim, d => { if (dim.Symbol is null) d.Int(DimValue, dim.Value); else d.String(DimParam, dim.Symbol); });
            })));

    private void Claim(string value)
    {
        if (!_names.Add(value)) throw new InvalidOperationException($"The graph already has a value named '{value}'.");
    }
}
