namespace CpuMap.Managed.Elf.Btf;

/// <summary>
/// An object's .BTF.ext section: per executable section, its func_info, line_info and CO-RE
/// relocation (core_relo) records. Offsets in the records are bytes in the object's sections; a
/// loader turns them into positions in the program it links.
/// </summary>
public sealed class BtfExt
{
    internal BtfExt(IReadOnlyList<BtfExtSection> sections) => Sections = sections;

    /// <summary>Name of the section in the object.</summary>
    public const string SectionName = ".BTF.ext";

    /// <summary>The executable sections that have records, in the order of the first block naming them.</summary>
    public IReadOnlyList<BtfExtSection> Sections { get; }

    /// <summary>The records of the executable section <paramref name="sectionName"/>, or null if it has none.</summary>
    public BtfExtSection? Find(string sectionName)
    {
        foreach (var section in Sections)
            if (section.Name == sectionName)
                return section;
        return null;
    }

    /// <summary>How many CO-RE relocations the object has in all.</summary>
    public int CoreReloCount => Sections.Sum(s => s.CoreRelos.Count);

    /// <summary>Parses a .BTF.ext section. <paramref name="btf"/> is the object's .BTF (names and
    /// access strings are offsets into its strings); <paramref name="sectionSize"/> gives the size of
    /// an executable section by name, or null when the object has no such executable section.</summary>
    public static BtfExt Parse(ReadOnlySpan<byte> section, BtfTypes btf, Func<string, ulong?> sectionSize, string objectName, string sectionName = SectionName)
    {
        ArgumentNullException.ThrowIfNull(btf);
        ArgumentNullException.ThrowIfNull(sectionSize);
        ArgumentException.ThrowIfNullOrEmpty(objectName);
        return BtfExtParser.Parse(section, btf, sectionSize, objectName, sectionName);
    }
}
