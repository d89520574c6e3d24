using System.Text;
using static TorchSharp.torch;

namespace AutoMLStudio.Engine.Backbones;

/// <summary>One tensor of a weights file: its name, element type, shape and where its bytes lie.</summary>
internal sealed record StateDictEntry(string Name, ScalarType ElementType, long[] Shape, long DataOffset, long DataLength)
{
    public bool IsFloatingPoint => ElementType is ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Float32 or ScalarType.Float64;

    public long ElementCount => Shape.Aggregate(1L, (product, dim) => product * dim);
}

/// <summary>
/// Reads TorchSharp's weights format, the one <c>Module.save</c> writes and TorchSharp's <c>exportsd.py</c>
/// (<c>save_state_dict</c>) writes from a PyTorch state dict:
/// <code>
/// count                       LEB128 unsigned
/// count times:
///   name                      LEB128 byte length, then UTF-8 (what .NET's BinaryWriter.Write(string) writes)
///   element type              LEB128, TorchSharp's ScalarType code (6 = float32, 4 = int64, ...)
///   rank                      LEB128
///   rank times: dimension     LEB128
///   data                      element size x product of the dimensions, raw little-endian, row-major
/// </code>
/// There is no header, no version and no checksum, so every length is checked against what the file still holds
/// before anything is read or allocated: a truncated or foreign file is an <see cref="InvalidDataException"/> that
/// says so, never a huge allocation, a crash or a read past the end.
/// </summary>
internal static class StateDictFile
{
    // torchvision's longest names have under 40 characters; anything near this is not a name.
    private const int MaxNameBytes = 1024;
    private const int MaxRank = 8;
    // A LEB128 value of more than 9 bytes exceeds 63 bits.
    private const int MaxLeb128Bytes = 9;

    private static readonly Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Every entry of the file at <paramref name="path"/>, without reading the tensors' data.</summary>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="InvalidDataException">The file is not in this format, or is truncated.</exception>
    public static IReadOnlyList<StateDictEntry> ReadIndex(string path)
    {
        using var stream = Open(path);
        var file = new Cursor(stream, path);
        if (stream.Length == 0) throw file.NotThisFormat("it is empty");
        // The smallest entry takes 4 bytes: a 1-byte name and one byte each for its length, element type and rank.
        var count = file.Leb128("the number of tensors");
        if (count > stream.Length / 4) throw file.Truncated($"the {count} tensors it announces");

        var entries = new List<StateDictEntry>((int)Math.Min(count, 1024));
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var entry = file.Entry(i, count);
            if (!names.Add(entry.Name)) throw file.NotThisFormat($"the tensor '{entry.Name}' appears twice");
            entries.Add(entry);
        }
        if (stream.Position != stream.Length)
            throw file.NotThisFormat($"{stream.Length - stream.Position} bytes follow its last tensor");
        return entries;
    }

    /// <summary>
    /// The data of <paramref name="entry"/>, from the file its index was read from, as a CPU tensor of the file's
    /// element type and shape.
    /// </summary>
    /// <exception cref="InvalidDataException">The file has shrunk since its index was read.</exception>
    public static Tensor ReadTensor(FileStream stream, StateDictEntry entry)
    {
        if (entry.DataOffset + entry.DataLength > stream.Length)
            throw new InvalidDataException($"'{Path.GetFileName(stream.Name)}' changed while it was being read: '{entry.Name}' now lies past its end.");
        stream.Position = entry.DataOffset;
        var tensor = empty(entry.Shape, entry.ElementType);
        // The file is little-endian, as every machine TorchSharp runs on; the bytes go straight into the tensor's storage.
        stream.ReadExactly(tensor.bytes);
        return tensor;
    }

    public static FileStream Open(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);

    /// <summary>Reads the format's fields, each bounded by the bytes left in the file.</summary>
    private sealed class Cursor(FileStream stream, string path)
    {
        private string FileName { get; } = Path.GetFileName(path);

        private long Remaining => stream.Length - stream.Position;

        public StateDictEntry Entry(int index, long count)
        {
            var where = $"tensor {index + 1} of {count}";
            var nameLength = Leb128($"the name length of {where}");
            if (nameLength is 0 or > MaxNameBytes)
                throw NotThisFormat($"{where} would have a name of {nameLength} bytes");
            if (nameLength > Remaining) throw Truncated($"the name of {where}");
            var name = Name((int)nameLength, where);

            var code = Leb128($"the element type of '{name}'");
            var elementSize = ElementSize(code)
                ?? throw NotThisFormat($"'{name}' has element type code {code}, which is no tensor type TorchSharp writes");
            var rank = Leb128($"the rank of '{name}'");
            if (rank > MaxRank) throw NotThisFormat($"'{name}' would have {rank} dimensions");

            var shape = new long[rank];
            var bytes = elementSize;
            for (var d = 0; d < rank; d++)
            {
                shape[d] = Leb128($"the shape of '{name}'");
                // Checked against the bytes left at every step, so the product cannot overflow.
                if (shape[d] > 0 && bytes > Remaining / shape[d])
                    throw Truncated($"the data of '{name}' (shape [{string.Join(", ", shape[..(d + 1)])}...])");
                bytes *= shape[d];
            }
            if (bytes > Remaining) throw Truncated($"the data of '{name}' ({bytes} bytes)");
            if (bytes > Array.MaxLength) throw NotThisFormat($"'{name}' would hold {bytes} bytes, more than one tensor can");

            var entry = new StateDictEntry(name, (ScalarType)code, shape, stream.Position, bytes);
            stream.Seek(bytes, SeekOrigin.Current);
            return entry;
        }

        public long Leb128(string what)
        {
            long value = 0;
            for (var i = 0; i < MaxLeb128Bytes; i++)
            {
                var b = stream.ReadByte();
                if (b < 0) throw Truncated(what);
                value |= (long)(b & 0x7f) << (7 * i);
                if ((b & 0x80) == 0) return value;
            }
            throw NotThisFormat($"{what} is not a valid number");
        }

        public InvalidDataException NotThisFormat(string detail)
        {
            var hint = LooksLikeTorchSave() ? " It looks like a file of PyTorch's torch.save: convert it with exportsd.py first." : "";
            return new InvalidDataException(
                $"'{FileName}' is not a weights file in TorchSharp's format (exportsd.py's save_state_dict or Module.save): {detail}.{hint} "
                + "See docs/pretrained-backbones.md for how to convert torchvision's weights.");
        }

        public InvalidDataException Truncated(string what) => new(
            $"'{FileName}' ends before {what}: the file is truncated (an interrupted copy or upload?) or is not a weights file in "
            + "TorchSharp's format. Convert or copy it again; see docs/pretrained-backbones.md.");

        private string Name(int length, string where)
        {
            var bytes = new byte[length];
            stream.ReadExactly(bytes);
            try
            {
                return StrictUtf8.GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                throw NotThisFormat($"the name of {where} is not UTF-8 text");
            }
        }

        // torch.save writes a zip archive (PK..) since PyTorch 1.6, a pickle (0x80, protocol) before.
        private bool LooksLikeTorchSave()
        {
            var position = stream.Position;
            stream.Position = 0;
            Span<byte> start = stackalloc byte[2];
            var read = stream.ReadAtLeast(start, 2, throwOnEndOfStream: false);
            stream.Position = position;
            return read == 2 && ((start[0] == (byte)'P' && start[1] == (byte)'K') || start[0] == 0x80);
        }
    }

    /// <summary>Bytes per element of TorchSharp's ScalarType <paramref name="code"/>; null for types a state dict of weights never holds.</summary>
    private static long? ElementSize(long code) => code switch
    {
        (long)ScalarType.Byte or (long)ScalarType.Int8 or (long)ScalarType.Bool => 1,
        (long)ScalarType.Int16 or (long)ScalarType.Float16 or (long)ScalarType.BFloat16 => 2,
        (long)ScalarType.Int32 or (long)ScalarType.Float32 => 4,
        (long)ScalarType.Int64 or (long)ScalarType.Float64 => 8,
        _ => null,
    };
}
