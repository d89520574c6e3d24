using System.Buffers.Binary;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoMLStudio.Engine.Tests.Backbones;

/// <summary>
/// Writes a state dict byte for byte as TorchSharp's src/Python/exportsd.py does, not through TorchSharp's own save,
/// so the tests check the reader against the file an admin actually brings:
/// <code>
/// stream.write(leb128.u.encode(len(sd)))
/// for entry in sd:
///     stream.write(leb128.u.encode(len(entry)))        # Python's len: characters, bytes for ASCII names
///     stream.write(bytes(entry, 'utf-8'))
///     stream.write(leb128.u.encode(_elem_type(t)))     # uint8 0, int8 1, int16 2, int32 3, int64 4, float16 5, float32 6, float64 7, bool 11, bfloat16 15
///     stream.write(leb128.u.encode(len(t.shape)))
///     for s in t.shape: stream.write(leb128.u.encode(s))
///     stream.write(t.numpy().tobytes())                # row-major, little-endian on x86 and ARM
/// </code>
/// </summary>
internal static class ExportsdFile
{
    public static void Write(string path, IEnumerable<(string Name, Tensor Value)> stateDict) => File.WriteAllBytes(path, Bytes(stateDict));

    public static byte[] Bytes(IEnumerable<(string Name, Tensor Value)> stateDict)
    {
        var entries = stateDict.ToList();
        using var stream = new MemoryStream();
        Leb128(stream, (ulong)entries.Count);
        foreach (var (name, value) in entries)
        {
            Leb128(stream, (ulong)name.Length);
            stream.Write(Encoding.UTF8.GetBytes(name));
            using var data = value.detach().cpu().contiguous();
            Leb128(stream, ElementType(data.dtype));
            Leb128(stream, (ulong)data.shape.Length);
            foreach (var dim in data.shape) Leb128(stream, (ulong)dim);
            WriteData(stream, data);
        }
        return stream.ToArray();
    }

    /// <summary>The module's state dict as (name, tensor) pairs, for editing before writing.</summary>
    public static List<(string Name, Tensor Value)> StateOf(nn.Module module) => [.. module.state_dict().Select(kv => (kv.Key, kv.Value))];

    private static ulong ElementType(ScalarType type) => type switch
    {
        ScalarType.Int64 => 4,
        ScalarType.Float32 => 6,
        ScalarType.Float64 => 7,
        _ => throw new NotSupportedException($"The test writer does not write {type}."),
    };

    private static void WriteData(Stream stream, Tensor data)
    {
        switch (data.dtype)
        {
            case ScalarType.Float32:
                var floats = data.data<float>().ToArray();
                var buffer = new byte[floats.Length * 4];
                for (var i = 0; i < floats.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(buffer.AsSpan(i * 4), floats[i]);
                stream.Write(buffer);
                break;
            case ScalarType.Float64:
                foreach (var value in data.data<double>().ToArray()) stream.Write(BitConverter.GetBytes(value));
                break;
            default:
                foreach (var value in data.data<long>().ToArray()) stream.Write(BitConverter.GetBytes(value));
                break;
        }
    }

    // leb128.u.encode: seven bits at a time, lowest first, the high bit set on every byte but the last.
    private static void Leb128(Stream stream, ulong value)
    {
        do
        {
            var low = (byte)(value & 0x7f);
            value >>= 7;
            stream.WriteByte(value == 0 ? low : (byte)(low | 0x80));
        }
        while (value != 0);
    }
}
