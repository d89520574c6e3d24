namespace AutoMLStudio.Engine.Onnx;

// Bringing an embedded graph's default-domain nodes from opset 12 (what ML.NET's converter writes) to the studio's 13, so
// every table graph declares one opset and an ensemble can merge a tree model with an MLP.
internal sealed partial class OnnxGraph
{
    /// <summary>The opset that <see cref="Embed"/> upgrades from: the one ML.NET's converter declares.</summary>
    public const long UpgradableOpset = 12;

    private const int NodeDomain = 7;
    private const int AttributeName = 1, AttributeInts = 8;

    // Ops that mean the same in opset 13 as in 12: 13 only added types (bfloat16) to them. Any other op is refused
    // rather than guessed at.
    private static readonly HashSet<string> SameIn13 = new(StringComparer.Ordinal)
    {
        "Abs", "Add", "And", "ArgMax", "ArgMin", "Cast", "Ceil", "Clip", "Concat", "Constant", "Div", "Equal", "Erf", "Exp",
        "Expand", "Flatten", "Floor", "Gather", "GatherElements", "Gemm", "Greater", "GreaterOrEqual", "Identity", "Less",
        "LessOrEqual", "Log", "MatMul", "Max", "Mean", "Min", "Mul", "Neg", "Not", "OneHot", "Or", "Pow", "Reciprocal",
        "ReduceL1", "ReduceL2", "ReduceLogSumExp", "ReduceMax", "ReduceMean", "ReduceMin", "ReduceProd", "ReduceSumSquare",
        "Relu", "Reshape", "Shape", "Sigmoid", "Sign", "Size", "Slice", "Sqrt", "Sub", "Sum", "Tanh", "Tile", "TopK",
        "Transpose", "Where",
    };

    // Ops whose integer-list attribute opset 13 takes as an (optional) second input instead.
    private static readonly Dictionary<string, string> AttributeBecameInput = new(StringComparer.Ordinal)
    {
        ["Unsqueeze"] = "axes",
        ["Squeeze"] = "axes",
        ["ReduceSum"] = "axes",
        ["Split"] = "split",
    };

    /// <summary>
    /// <paramref name="node"/>, written for opset <see cref="UpgradableOpset"/>, as a node of opset <see cref="Opset"/>
    /// meaning the same: other domains' nodes unchanged, an attribute that became an input moved into an initializer.
    /// </summary>
    /// <exception cref="NotSupportedException">An op whose meaning changed in opset 13 in a way not rewritten here.</exception>
    private byte[] Upgraded(ReadOnlySpan<byte> node)
    {
        var (domain, opType, output) = ("", "", "");
        var reader = new ProtoReader(node);
        while (reader.Next(out var field, out var wireType))
        {
            if (field == NodeDomain) domain = reader.ReadString();
            else if (field == NodeOpType) opType = reader.ReadString();
            else if (field == NodeOutput && output.Length == 0) output = reader.ReadString();
            else reader.Skip(wireType);
        }
        if (domain is not ("" or "ai.onnx") || SameIn13.Contains(opType)) return node.ToArray();
        if (!AttributeBecameInput.TryGetValue(opType, out var attribute))
            throw new NotSupportedException(
                $"The converted model has a '{opType}' node of opset {UpgradableOpset}, whose meaning in opset {Opset} the studio does not know to be the same; it cannot be exported.");

        var writer = new ProtoWriter();
        long[]? values = null;
        reader = new ProtoReader(node);
        while (true)
        {
            var start = reader.Position;
            if (!reader.Next(out var field, out var wireType)) break;
            if (field == NodeAttribute)
            {
                var message = reader.ReadBytes();
                if (FirstString(message, AttributeName) == attribute) values = Ints(message);
                else writer.Bytes(NodeAttribute, message);
                continue;
            }
            reader.Skip(wireType);
            writer.Raw(node[start..reader.Position]);
        }
        // Without the attribute the op's default holds, which opset 13 gives the same when the input is left out.
        if (values is not null) writer.String(NodeInput, Initializer($"opset{Opset}.{output}.{attribute}", values, values.Length));
        return writer.ToArray();
    }

    // An attribute's ints, one tag each (proto2) or packed (as proto3 writers emit them).
    private static long[] Ints(ReadOnlySpan<byte> attribute)
    {
        var values = new List<long>();
        var reader = new ProtoReader(attribute);
        while (reader.Next(out var field, out var wireType))
        {
            if (field != AttributeInts) reader.Skip(wireType);
            else if (wireType == ProtoReader.Varint) values.Add((long)reader.ReadVarint());
            else
            {
                ProtoReader.Expect(wireType, ProtoReader.LengthDelimited, "an ints attribute");
                var bytes = reader.ReadBytes();
                var packed = new ProtoReader(bytes);
                while (packed.Position < bytes.Length) values.Add((long)packed.ReadVarint());
            }
        }
        return [.. values];
    }
}
