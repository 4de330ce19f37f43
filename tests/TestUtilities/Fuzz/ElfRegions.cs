using System.Buffers.Binary;
using System.Text;

namespace CpuMap.Managed.Testing;

/// <summary>
/// The byte ranges of an ELF object that a reader decodes: the header, the section header table and
/// every section with bytes in the file except DWARF (.debug*, .rel.debug*), which no reader of ours
/// looks at. Read by hand, so the fuzzers do not aim with the reader they test.
/// </summary>
public static class ElfRegions
{
    private const int HeaderSize = 64;
    private const int SectionHeaderSize = 64;
    private const uint SHT_NOBITS = 8;

    public static (int Offset, int Length)[] Of(byte[] elf)
    {
        var regions = new List<(int, int)> { (0, Math.Min(HeaderSize, elf.Length)) };
        if (elf.Length < HeaderSize)
            return [.. regions];
        var table = (long)BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(0x28));
        int count = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(0x3c));
        int names = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(0x3e));
        if (table <= 0 || table + (long)count * SectionHeaderSize > elf.Length || names >= count)
            return [.. regions];
        regions.Add(((int)table, count * SectionHeaderSize));
        var namesOffset = Offset(elf, table, names);
        for (var i = 1; i < count; i++)
        {
            var header = elf.AsSpan((int)(table + (long)i * SectionHeaderSize));
            var offset = Offset(elf, table, i);
            var size = (long)BinaryPrimitives.ReadUInt64LittleEndian(header[32..]);
            var name = CString(elf, namesOffset + BinaryPrimitives.ReadUInt32LittleEndian(header));
            if (BinaryPrimitives.ReadUInt32LittleEndian(header[4..]) == SHT_NOBITS || size < 4 || offset + size > elf.Length
                || name.StartsWith(".debug", StringComparison.Ordinal) || name.StartsWith(".rel.debug", StringComparison.Ordinal))
                continue;
            regions.Add(((int)offset, (int)size));
        }
        return [.. regions];
    }

    private static long Offset(byte[] elf, long table, int index) =>
        (long)BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan((int)(table + (long)index * SectionHeaderSize) + 24));

    private static string CString(byte[] elf, long at)
    {
        if (at < 0 || at >= elf.Length)
            return "";
        var end = Array.IndexOf(elf, (byte)0, (int)at);
        return Encoding.ASCII.GetString(elf, (int)at, (end < 0 ? elf.Length : end) - (int)at);
    }
}
