using System.Text;
using AutoMLStudio.Engine.Models;
using AutoMLStudio.Engine.Native;
using AutoMLStudio.Engine.Onnx;
using AutoMLStudio.Engine.Spaces;
using TorchSharp;

namespace AutoMLStudio.Engine.Tests.Onnx;

[Collection(TorchCollection.Name)]
public sealed class ExternalDataTensorsTests
{
    public ExternalDataTensorsTests() => TorchNative.EnsureLoaded();

    [Fact]
    public void An_exported_model_keeps_all_its_data_inside()
    {
        Assert.Empty(OnnxExport.ExternalDataTensors(ExportedModel()));
    }

    [Fact]
    public void External_initializers_and_external_attribute_constants_are_named()
    {
        var model = ModelWithExternalData();

        Assert.Equal(["table.value", "weights"], OnnxExport.ExternalDataTensors(model));
    }

    public static TheoryData<string> Garbage => ["empty", "text", "random bytes", "truncated model", "protobuf without a graph"];

    [Theory]
    [MemberData(nameof(Garbage))]
    public void Bytes_that_are_no_onnx_model_are_invalid_data(string garbage)
    {
        var bytes = garbage switch
        {
            "empty" => [],
            "text" => Encoding.UTF8.GetBytes("this is not an ONNX model, just a text file renamed"),
            "random bytes" => RandomBytes(4096),
            "truncated model" => ExportedModel()[..200],
            _ => Message(Varint(1, 7), Bytes(2, "AutoMLStudio"u8.ToArray())),
        };

        Assert.Throws<InvalidDataException>(() => OnnxExport.ExternalDataTensors(bytes));
    }

    private static byte[] ExportedModel()
    {
        var architecture = new CnnArchitecture(1, 8, 2, [], 0, 0, [0.5f], [0.25f], [new CellStage(4, [CellOps.Conv3], "max")], BatchNorm: true);
        torch.manual_seed(1);
        using var model = CnnModelFactory.Build(architecture);
        return OnnxExport.ImageClassifier(architecture, model);
    }

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        new Random(7).NextBytes(bytes);
        return bytes;
    }

    // Written by hand from onnx.proto's field numbers, independently of the Engine's writer: an initializer stored in
    // "weights.bin", one stored inline, and a Constant node whose (unnamed) value tensor is stored in "table.bin".
    private static byte[] ModelWithExternalData()
    {
        byte[] ExternalTensor(string? name, string location) => Message(
            Varint(1, 2), Varint(2, 1), name is null ? [] : Text(8, name),
            Bytes(13, Message(Text(1, "location"), Text(2, location))), Varint(14, 1));

        var inline = Message(Varint(1, 2), Varint(2, 1), Text(8, "bias"), Bytes(9, new byte[8]));
        var constant = Message(Text(2, "table"), Text(3, "table"), Text(4, "Constant"),
            Bytes(5, Message(Text(1, "value"), Bytes(5, ExternalTensor(null, "table.bin")), Varint(20, 4))));
        var add = Message(Text(1, "weights"), Text(1, "bias"), Text(2, "sum"), Text(3, "sum"), Text(4, "Add"));
        var graph = Message(Bytes(1, constant), Bytes(1, add), Text(2, "external"),
            Bytes(5, ExternalTensor("weights", "weights.bin")), Bytes(5, inline), Bytes(12, Message(Text(1, "sum"))));
        return Message(Varint(1, 7), Text(2, "test"), Bytes(7, graph), Bytes(8, Message(Varint(2, 13))));
    }

    private static byte[] Message(params byte[][] fields) => [.. fields.SelectMany(f => f)];

    private static byte[] Text(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    private static byte[] Bytes(int field, byte[] value) => [.. VarintBytes((ulong)(field << 3 | 2)), .. VarintBytes((ulong)value.Length), .. value];

    private static byte[] Varint(int field, long value) => [.. VarintBytes((ulong)(field << 3)), .. VarintBytes((ulong)value)];

    private static List<byte> VarintBytes(ulong value)
    {
        var bytes = new List<byte>();
        for (; value >= 0x80; value >>= 7) bytes.Add((byte)(value | 0x80));
        bytes.Add((byte)value);
        return bytes;
    }
}
