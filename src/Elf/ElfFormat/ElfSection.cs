namespace CpuMap.Managed.Elf;

/// <summary>One ELF section header with the fields a BPF loader needs, including the
/// sh_link/sh_info pair (which symbol table and which section a relocation table belongs to).</summary>
public sealed class ElfSection
{
    internal ElfSection(int index, string name, uint type, ulong flags, ulong offset, ulong size, uint link, uint info, ulong alignment, ulong entrySize, ReadOnlyMemory<byte> data)
    {
        Index = index;
        Name = name;
        Type = type;
        Flags = flags;
        Offset = offset;
        Size = size;
        Link = link;
        Info = info;
        Alignment = alignment;
        EntrySize = entrySize;
        Data = data;
    }

    /// <summary>The section's index in the section header table (what st_shndx and sh_info refer to).</summary>
    public int Index { get; }
    /// <summary>sh_name, resolved in the section header string table.</summary>
    public string Name { get; }

    /// <summary>sh_type: SHT_PROGBITS (1), SHT_SYMTAB (2), SHT_STRTAB (3), SHT_NOBITS (8), SHT_REL (9)...</summary>
    public uint Type { get; }

    /// <summary>sh_flags: SHF_WRITE (1), SHF_ALLOC (2), SHF_EXECINSTR (4)...</summary>
    public ulong Flags { get; }

    /// <summary>sh_offset in the file.</summary>
    public ulong Offset { get; }

    /// <summary>sh_size (for SHT_NOBITS the size in memory; <see cref="Data"/> is then empty).</summary>
    public ulong Size { get; }

    /// <summary>sh_link: for SHT_REL and SHT_SYMTAB, the index of the symbol or string table.</summary>
    public uint Link { get; }

    /// <summary>sh_info: for SHT_REL, the index of the section the relocations apply to.</summary>
    public uint Info { get; }

    /// <summary>sh_addralign: the required alignment of the contents.</summary>
    public ulong Alignment { get; }
    /// <summary>sh_entsize: the size of one entry for tables (symbols, relocations), else 0.</summary>
    public ulong EntrySize { get; }

    /// <summary>The section's bytes in the file (empty for SHT_NOBITS).</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>Whether SHF_EXECINSTR is set: the section holds BPF programs.</summary>
    public bool IsExecutable => (Flags & ElfConstants.SHF_EXECINSTR) != 0;

    /// <summary><c>[index] name</c>, as readelf lists sections.</summary>
    public override string ToString() => $"[{Index}] {Name}";
}
