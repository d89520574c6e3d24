using System.Text;

namespace AutoMLStudio.Engine.Onnx;

/// <summary>
/// Reads the fields of one protobuf message. Every malformed input (a length past the end, an overlong varint, a
/// group or unknown wire type, text that is not UTF-8) is an <see cref="InvalidDataException"/>, so callers that
/// parse untrusted uploads have one exception to catch.
/// </summary>
internal ref struct ProtoReader(ReadOnlySpan<byte> message)
{
    public const int Varint = 0;
    public const int Fixed64 = 1;
    public const int LengthDelimited = 2;
    public const int Fixed32 = 5;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> _message = message;
    private int _position;

    /// <summary>Bytes read so far: a field's start and end, to copy it unchanged.</summary>
    public readonly int Position => _position;

    /// <summary>Reads the next field's tag; false at the end of the message.</summary>
    public bool Next(out int field, out int wireType)
    {
        field = 0;
        wireType = 0;
        if (_position == _message.Length) return false;
        var tag = ReadVarint();
        field = (int)(tag >> 3);
        wireType = (int)(tag & 7);
        if (field < 1 || tag >> 3 > int.MaxValue) throw Invalid($"field number {tag >> 3}");
        return true;
    }

    public ulong ReadVarint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_position == _message.Length) throw Invalid("a varint that runs past the end");
            var b = _message[_position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return value;
        }
        throw Invalid("a varint longer than ten bytes");
    }

    public ReadOnlySpan<byte> ReadBytes()
    {
        var length = ReadVarint();
        if (length > (ulong)(_message.Length - _position)) throw Invalid("a length past the end");
        var bytes = _message.Slice(_position, (int)length);
        _position += (int)length;
        return bytes;
    }

    public string ReadString()
    {
        try
        {
            return StrictUtf8.GetString(ReadBytes());
        }
        catch (DecoderFallbackException)
        {
            throw Invalid("a string that is not UTF-8");
        }
    }

    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case Varint: ReadVarint(); break;
            case LengthDelimited: ReadBytes(); break;
            case Fixed64: Advance(8); break;
            case Fixed32: Advance(4); break;
            default: throw Invalid($"wire type {wireType}");
        }
    }

    /// <summary>Checks that a known field has the wire type the schema gives it.</summary>
    public static void Expect(int wireType, int expected, string what)
    {
        if (wireType != expected) throw Invalid($"{what} with wire type {wireType}");
    }

    public static InvalidDataException Invalid(string what) =>
        new($"Not a valid ONNX model: the protobuf holds {what}.");

    private void Advance(int count)
    {
        if (_message.Length - _position < count) throw Invalid("a fixed-width value past the end");
        _position += count;
    }
}
