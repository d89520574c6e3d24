using System.Buffers.Binary;
using System.Text;

namespace AutoMLStudio.Engine.Native;

/// <summary>
/// Marks version requirements in an ELF64 shared library's <c>.gnu.version_r</c> section as weak
/// (<c>VER_FLG_WEAK</c>), so the dynamic loader accepts a system library that lacks that version.
/// </summary>
public static class ElfVersionNeedPatcher
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;

    /// <summary>Returns the version names the library requires that are not marked weak.</summary>
    public static IReadOnlyList<string> StrongRequirements(byte[] elf) =>
        Walk(elf).Where(e => (e.Flags & VerFlgWeak) == 0).Select(e => e.Name).ToList();

    /// <summary>
    /// Sets the weak flag on every requirement named in <paramref name="versions"/>; returns how many entries changed.
    /// </summary>
    public static int MarkWeak(byte[] elf, IReadOnlySet<string> versions)
    {
        var changed = 0;
        foreach (var entry in Walk(elf))
        {
            if (!versions.Contains(entry.Name) || (entry.Flags & VerFlgWeak) != 0) continue;
            BinaryPrimitives.WriteUInt16LittleEndian(elf.AsSpan(entry.FlagsOffset), (ushort)(entry.Flags | VerFlgWeak));
            changed++;
        }
        return changed;
    }

    private readonly record struct VersionNeed(string Name, ushort Flags, int FlagsOffset);

    private static IEnumerable<VersionNeed> Walk(byte[] elf)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException("Not an ELF file.");
        if (elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("Only little-endian ELF64 libraries are supported.");

        var span = elf.AsSpan();
        var shoff = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(span[0x28..]));
        var shentsize = BinaryPrimitives.ReadUInt16LittleEndian(span[0x3A..]);
        var shnum = BinaryPrimitives.ReadUInt16LittleEndian(span[0x3C..]);

        for (var i = 0; i < shnum; i++)
        {
            var sh = shoff + i * shentsize;
            if (BinaryPrimitives.ReadUInt32LittleEndian(elf.AsSpan(sh + 4)) != ShtGnuVerneed) continue;

            var offset = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(sh + 24)));
            var link = (int)BinaryPrimitives.ReadUInt32LittleEndian(elf.AsSpan(sh + 40));
            var count = (int)BinaryPrimitives.ReadUInt32LittleEndian(elf.AsSpan(sh + 44));
            var strtab = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(shoff + link * shentsize + 24)));

            var need = offset;
            for (var n = 0; n < count; n++)
            {
                var auxCount = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(need + 2));
                var aux = need + (int)BinaryPrimitives.ReadUInt32LittleEndian(elf.AsSpan(need + 8));
                for (var a = 0; a < auxCount; a++)
                {
                    var flags = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(aux + 4));
                    var nameOffset = (int)BinaryPrimitives.ReadUInt32LittleEndian(elf.AsSpan(aux + 8));
                    yield return new VersionNeed(ReadCString(elf, strtab + nameOffset), flags, aux + 4);
                    aux += (int)BinaryPrimitives.ReadUInt32LittleEndian(elf.AsSpan(aux + 12));
                }
                need += (int)BinaryPrimitives.ReadUInt32LittleEndian(elf.AsSpan(need + 12));
            }
        }
    }

    private static string ReadCString(byte[] bytes, int start)
    {
        var end = Array.IndexOf(bytes, (byte)0, start);
        return Encoding.ASCII.GetString(bytes, start, end - start);
    }
}
