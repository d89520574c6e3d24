using System.Buffers.Binary;
using AutoMLStudio.Engine.Onnx;

namespace AutoMLStudio.Engine.Ensembles;

/// <summary>
/// One ONNX graph out of several members' graphs: every member's nodes and initializers under its own prefix (<c>m0.</c>,
/// <c>m1.</c>, …), the inputs the members share (<c>numeric</c> and <c>categorical</c> for tables, <c>ids</c> for texts) fed
/// to all, and each answer (<c>probabilities</c>, <c>value</c>) the weighted sum of the members' answers. Hosting, batch
/// prediction and the registry read it as they read any one model's graph.
/// </summary>
public static class EnsembleGraph
{
    /// <summary>The outputs the hosting contract reads, averaged across members; others a member may have are dropped.</summary>
    public static readonly IReadOnlyList<string> Answers = ["probabilities", "value"];

    // Field numbers of onnx.proto.
    private const int ModelIrVersion = 1, ModelProducerName = 2, ModelGraph = 7, ModelOpsetImport = 8, ModelFunctions = 25;
    private const int OpsetDomain = 1, OpsetVersion = 2;
    private const int GraphNode = 1, GraphName = 2, GraphInitializer = 5, GraphInput = 11, GraphOutput = 12, GraphValueInfo = 13, GraphSparseInitializer = 15;
    private const int NodeInput = 1, NodeOutput = 2, NodeName = 3, NodeOpType = 4, NodeAttribute = 5;
    private const int AttributeGraph = 6, AttributeGraphs = 11;
    private const int TensorDataType = 2, TensorName = 8, TensorRawData = 9, TensorDataLocation = 14;
    private const int ValueName = 1;
    private const long FloatType = 1;

    /// <summary>The members' graphs merged, their answers weighted by <c>Weight</c>.</summary>
    /// <exception cref="ArgumentException">No members, or members that do not give the same answers.</exception>
    /// <exception cref="NotSupportedException">A member with subgraphs, functions, sparse or external tensors, which no learner exports.</exception>
    public static byte[] Merge(IReadOnlyList<(byte[] Model, double Weight)> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count == 0) throw new ArgumentException("An ensemble needs at least one member.", nameof(members));
        var parsed = members.Select(m => Parse(m.Model)).ToList();
        var answers = Answers.Where(a => parsed[0].Outputs.ContainsKey(a)).ToList();
        if (answers.Count == 0 || parsed.Any(p => !answers.All(p.Outputs.ContainsKey)))
            throw new ArgumentException($"Every member must answer {string.Join(" or ", Answers)}, and all the same.", nameof(members));

        var graph = new ProtoWriter().String(GraphName, "ensemble");
        var inputs = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var opsets = new SortedDictionary<string, long>(StringComparer.Ordinal);
        long irVersion = OnnxGraph.IrVersion;
        for (var i = 0; i < parsed.Count; i++)
        {
            var member = parsed[i];
            irVersion = Math.Max(irVersion, member.IrVersion);
            foreach (var (domain, version) in member.Opsets) opsets[domain] = Math.Max(version, opsets.GetValueOrDefault(domain));
            foreach (var (name, info) in member.Inputs) inputs.TryAdd(name, info);
            var rename = Renamer($"m{i}.", member.Inputs.Keys);
            foreach (var node in member.Nodes) graph.Bytes(GraphNode, Node(node, rename));
            foreach (var tensor in member.Initializers) graph.Bytes(GraphInitializer, Renamed(tensor, TensorName, rename, Tensor));
            foreach (var info in member.ValueInfos) graph.Bytes(GraphValueInfo, Renamed(info, ValueName, rename, null));
        }
        foreach (var answer in answers)
        {
            var weighted = new List<string>();
            for (var i = 0; i < parsed.Count; i++)
            {
                var weight = graph.Initializer($"ensemble.{answer}.weight{i}", (float)members[i].Weight);
                weighted.Add(graph.Node("Mul", $"ensemble.{answer}.m{i}", $"m{i}.{answer}", weight));
            }
            graph.Node("Sum", answer, [.. weighted]);
        }
        foreach (var (_, info) in inputs) graph.Bytes(GraphInput, info);
        foreach (var answer in answers) graph.Bytes(GraphOutput, parsed[0].Outputs[answer]);

        var model = new ProtoWriter().Int(ModelIrVersion, irVersion).String(ModelProducerName, OnnxGraph.Producer).Message(ModelGraph, graph);
        foreach (var (domain, version) in opsets) model.Message(ModelOpsetImport, o => o.String(OpsetDomain, domain).Int(OpsetVersion, version));
        return model.ToArray();
    }

    private sealed record Member(long IrVersion, Dictionary<string, long> Opsets, List<byte[]> Nodes, List<byte[]> Initializers,
        List<byte[]> ValueInfos, Dictionary<string, byte[]> Inputs, Dictionary<string, byte[]> Outputs);

    private static Member Parse(byte[] model)
    {
        long irVersion = 0;
        var opsets = new Dictionary<string, long>(StringComparer.Ordinal);
        byte[]? graph = null;
        var reader = new ProtoReader(model);
        while (reader.Next(out var field, out var wire))
        {
            switch (field)
            {
                case ModelIrVersion: irVersion = (long)reader.ReadVarint(); break;
                case ModelGraph: graph = reader.ReadBytes().ToArray(); break;
                case ModelOpsetImport:
                    var (domain, version) = Opset(reader.ReadBytes());
                    opsets[domain] = Math.Max(version, opsets.GetValueOrDefault(domain));
                    break;
                case ModelFunctions: throw new NotSupportedException("An ensemble member's graph has functions, which merging does not rename.");
                default: reader.Skip(wire); break;
            }
        }
        if (graph is null) throw new InvalidDataException("An ensemble member's model has no graph.");

        var member = new Member(irVersion, opsets, [], [], [], new(StringComparer.Ordinal), new(StringComparer.Ordinal));
        var initializerNames = new HashSet<string>(StringComparer.Ordinal);
        var inputs = new List<(string Name, byte[] Info)>();
        var graphReader = new ProtoReader(graph);
        while (graphReader.Next(out var field, out var wire))
        {
            switch (field)
            {
                case GraphNode: member.Nodes.Add(graphReader.ReadBytes().ToArray()); break;
                case GraphInitializer:
                    var tensor = graphReader.ReadBytes().ToArray();
                    initializerNames.Add(NameOf(tensor, TensorName));
                    member.Initializers.Add(tensor);
                    break;
                case GraphInput:
                    var input = graphReader.ReadBytes().ToArray();
                    inputs.Add((NameOf(input, ValueName), input));
                    break;
                case GraphOutput:
                    var output = graphReader.ReadBytes().ToArray();
                    member.Outputs[NameOf(output, ValueName)] = output;
                    break;
                case GraphValueInfo: member.ValueInfos.Add(graphReader.ReadBytes().ToArray()); break;
                case GraphSparseInitializer: throw new NotSupportedException("An ensemble member's graph has sparse initializers.");
                default: graphReader.Skip(wire); break;
            }
        }
        // Older exporters list initializers among the inputs too; those are the member's own, not the data it shares.
        foreach (var (name, info) in inputs.Where(i => !initializerNames.Contains(i.Name))) member.Inputs[name] = info;
        return member;
    }

    private static (string Domain, long Version) Opset(ReadOnlySpan<byte> message)
    {
        var (domain, version) = ("", 0L);
        var reader = new ProtoReader(message);
        while (reader.Next(out var field, out var wire))
        {
            if (field == OpsetDomain) domain = reader.ReadString();
            else if (field == OpsetVersion) version = (long)reader.ReadVarint();
            else reader.Skip(wire);
        }
        return (domain == "ai.onnx" ? "" : domain, version);
    }

    private static string NameOf(ReadOnlySpan<byte> message, int nameField)
    {
        var reader = new ProtoReader(message);
        while (reader.Next(out var field, out var wire))
        {
            if (field == nameField) return reader.ReadString();
            reader.Skip(wire);
        }
        return "";
    }

    // The shared inputs keep their names; an empty name is an optional input left out.
    private static Func<string, string> Renamer(string prefix, IEnumerable<string> shared)
    {
        var keep = new HashSet<string>(shared, StringComparer.Ordinal) { "" };
        return name => keep.Contains(name) ? name : prefix + name;
    }

    private static byte[] Node(ReadOnlySpan<byte> node, Func<string, string> rename)
    {
        var writer = new ProtoWriter();
        var reader = new ProtoReader(node);
        while (true)
        {
            var start = reader.Position;
            if (!reader.Next(out var field, out var wire)) break;
            switch (field)
            {
                case NodeInput or NodeOutput or NodeName: writer.String(field, rename(reader.ReadString())); break;
                case NodeAttribute:
                    var attribute = reader.ReadBytes();
                    CheckNoSubgraph(attribute);
                    writer.Bytes(NodeAttribute, attribute);
                    break;
                default:
                    reader.Skip(wire);
                    writer.Raw(node[start..reader.Position]);
                    break;
            }
        }
        return writer.ToArray();
    }

    private static void CheckNoSubgraph(ReadOnlySpan<byte> attribute)
    {
        var reader = new ProtoReader(attribute);
        while (reader.Next(out var field, out var wire))
        {
            if (field is AttributeGraph or AttributeGraphs)
                throw new NotSupportedException("An ensemble member's graph has a node with a subgraph, which merging does not rename.");
            reader.Skip(wire);
        }
    }

    private static void Tensor(int field, ref ProtoReader reader)
    {
        if (field == TensorDataLocation && reader.ReadVarint() == 1)
            throw new NotSupportedException("An ensemble member keeps a tensor in an external file.");
    }

    private delegate void FieldCheck(int field, ref ProtoReader reader);

    // The message with its name field renamed and every other field as it was.
    private static byte[] Renamed(ReadOnlySpan<byte> message, int nameField, Func<string, string> rename, FieldCheck? check)
    {
        var writer = new ProtoWriter();
        var reader = new ProtoReader(message);
        while (true)
        {
            var start = reader.Position;
            if (!reader.Next(out var field, out var wire)) break;
            if (field == nameField)
            {
                writer.String(field, rename(reader.ReadString()));
                continue;
            }
            if (check is not null)
            {
                var probe = reader;
                check(field, ref probe);
            }
            reader.Skip(wire);
            writer.Raw(message[start..reader.Position]);
        }
        return writer.ToArray();
    }

    private static string Initializer(this ProtoWriter graph, string name, float value)
    {
        var raw = new byte[sizeof(float)];
        BinaryPrimitives.WriteSingleLittleEndian(raw, value);
        // A scalar (no dims), which Mul broadcasts over [N, classes].
        graph.Message(GraphInitializer, t => t.Int(TensorDataType, FloatType).String(TensorName, name).Bytes(TensorRawData, raw));
        return name;
    }

    private static string Node(this ProtoWriter graph, string opType, string output, params string[] inputs)
    {
        graph.Message(GraphNode, n =>
        {
            foreach (var input in inputs) n.String(NodeInput, input);
            n.String(NodeOutput, output).String(NodeName, output).String(NodeOpType, opType);
        });
        return output;
    }
}
