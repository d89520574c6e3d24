using System.Buffers.Binary;
using System.Text;

namespace AutoMLStudio.Engine.Onnx;

/// <summary>
/// Writes one protobuf message, field by field. A nested message is written into its own writer first, because its
/// length prefix must be known before its bytes; ONNX models of this product are small enough for that copy.
/// </summary>
internal sealed class ProtoWriter
{
    private const int Varint = 0;
    private const int LengthDelimited = 2;
    private const int Fixed32 = 5;

    private readonly MemoryStream _buffer = new();

    public ProtoWriter Int(int field, long value)
    {
        Tag(field, Varint);
        // Negative values take ten bytes: protobuf encodes int64 as its two's complement, unsigned.
        WriteVarint((ulong)value);
        return this;
    }

    public ProtoWriter Float(int field, float value)
    {
        Tag(field, Fixed32);
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
        _buffer.Write(bytes);
        return this;
    }

    public ProtoWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public ProtoWriter Bytes(int field, ReadOnlySpan<byte> value)
    {
        Tag(field, LengthDelimited);
        WriteVarint((ulong)value.Length);
        _buffer.Write(value);
        return this;
    }

    public ProtoWriter Message(int field, ProtoWriter message) => Bytes(field, message.ToArray());

    public ProtoWriter Message(int field, Action<ProtoWriter> write)
    {
        var message = new ProtoWriter();
        write(message);
        return Message(field, message);
    }

    /// <summary>Appends fields already encoded (read from another message), unchanged.</summary>
    public ProtoWriter Raw(ReadOnlySpan<byte> fields)
    {
        _buffer.Write(fields);
        return this;
    }

    public byte[] ToArray() => _buffer.ToArray();

    private void Tag(int field, int wireType) => WriteVarint((ulong)((field << 3) | wireType));

    private void WriteVarint(ulong value)
    {
        while (value >= 0x80)
        {
            _buffer.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        _buffer.WriteByte((byte)value);
    }
}
