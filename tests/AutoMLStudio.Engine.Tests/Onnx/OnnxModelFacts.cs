using System.Text;

namespace AutoMLStudio.Engine.Tests.Onnx;

/// <summary>
/// What an exported ModelProto declares, read with a protobuf reader of its own (not the Engine's), so a test checks the
/// bytes as ONNX Runtime would see them: its opset per domain and its nodes' op types.
/// </summary>
internal static class OnnxModelFacts
{
    // Field numbers of onnx.proto.
    private const int ModelGraph = 7, ModelOpsetImport = 8, OpsetDomain = 1, OpsetVersion = 2;
    private const int GraphNode = 1, NodeOpType = 4, NodeDomain = 7, NodeAttribute = 5, AttributeName = 1;

    /// <summary>The declared opset of each domain, the default one as "".</summary>
    public static Dictionary<string, long> Opsets(byte[] model)
    {
        var opsets = new Dictionary<string, long>();
        foreach (var (field, value) in Fields(model))
        {
            if (field != ModelOpsetImport) continue;
            var fields = Fields(value.Bytes!);
            var domain = fields.Where(f => f.Field == OpsetDomain).Select(f => Encoding.UTF8.GetString(f.Value.Bytes!)).FirstOrDefault() ?? "";
            opsets[domain == "ai.onnx" ? "" : domain] = (long)fields.Single(f => f.Field == OpsetVersion).Value.Number;
        }
        return opsets;
    }

    /// <summary>Each node of the main graph: its domain ("" for the default one), op type and attribute names.</summary>
    public static List<(string Domain, string OpType, string[] Attributes)> Nodes(byte[] model)
    {
        var graph = Fields(model).Single(f => f.Field == ModelGraph).Value.Bytes!;
        return
        [
            .. Fields(graph).Where(f => f.Field == GraphNode).Select(f => Fields(f.Value.Bytes!)).Select(node => (
                node.Where(f => f.Field == NodeDomain).Select(f => Encoding.UTF8.GetString(f.Value.Bytes!)).FirstOrDefault() ?? "",
                Encoding.UTF8.GetString(node.Single(f => f.Field == NodeOpType).Value.Bytes!),
                node.Where(f => f.Field == NodeAttribute)
                    .Select(a => Encoding.UTF8.GetString(Fields(a.Value.Bytes!).Single(f => f.Field == AttributeName).Value.Bytes!)).ToArray())),
        ];
    }

    private static List<(int Field, (ulong Number, byte[]? Bytes) Value)> Fields(byte[] message)
    {
        var fields = new List<(int, (ulong, byte[]?))>();
        var position = 0;
        while (position < message.Length)
        {
            var tag = Varint(message, ref position);
            var (field, wire) = ((int)(tag >> 3), (int)(tag & 7));
            switch (wire)
            {
                case 0: fields.Add((field, (Varint(message, ref position), null))); break;
                case 1: position += 8; break;
                case 5: position += 4; break;
                case 2:
                    var length = (int)Varint(message, ref position);
                    fields.Add((field, (0, message[position..(position + length)])));
                    position += length;
                    break;
                default: throw new InvalidDataException($"wire type {wire}");
            }
        }
        return fields;
    }

    private static ulong Varint(byte[] message, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = message[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return value;
        }
    }
}
