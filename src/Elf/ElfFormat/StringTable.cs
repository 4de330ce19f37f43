using System.Text;

namespace CpuMap.Managed.Elf.ElfFormat;

/// <summary>NUL-terminated names out of an ELF string table (or the BTF string section).</summary>
internal static class StringTable
{
    /// <summary>The string at <paramref name="offset"/> of <paramref name="table"/>, checked: the
    /// error names <paramref name="referrer"/> and the referring record's offset, where the bad
    /// number lives.</summary>
    public static string Read(ElfSection table, uint offset, string objectName, string referrer, long at) =>
        Read(table.Data.Span, offset, objectName, referrer, at, $"string table '{table.Name}'");

    public static string Read(ReadOnlySpan<byte> table, uint offset, string objectName, string? referrer, long at, string tableName)
    {
        var name = Locate(table, offset, objectName, referrer, at, tableName);
        return name.IsEmpty ? "" : Encoding.UTF8.GetString(name);
    }

    /// <summary>The bytes of the name at <paramref name="offset"/>, without its NUL.</summary>
    private static ReadOnlySpan<byte> Locate(ReadOnlySpan<byte> table, uint offset, string objectName, string? referrer, long at, string tableName)
    {
        if (offset >= (uint)table.Length)
        {
            if (offset == 0 && table.IsEmpty)
                return [];
            BpfObjectException.Throw(objectName, referrer, at, $"name offset {offset} is outside the {table.Length}-byte {tableName}; the object is corrupt, rebuild it");
        }
        var rest = table[(int)offset..];
        var end = rest.IndexOf((byte)0);
        if (end < 0)
            BpfObjectException.Throw(objectName, referrer, at, $"the name at offset {offset} of the {tableName} has no terminating NUL; the object is corrupt, rebuild it");
        return rest[..end];
    }
}
