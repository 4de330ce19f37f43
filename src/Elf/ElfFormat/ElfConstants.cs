namespace CpuMap.Managed.Elf;

/// <summary>The ELF numbers (from elf.h) the reader checks, under their C names.</summary>
public static class ElfConstants
{
    /// <summary>e_machine of eBPF objects (Linux BPF).</summary>
    public const ushort EM_BPF = 247;
    /// <summary>e_type of a relocatable object, what clang -target bpf -c writes.</summary>
    public const ushort ET_REL = 1;
    /// <summary>EI_CLASS of 64-bit objects.</summary>
    public const byte ELFCLASS64 = 2;
    /// <summary>EI_DATA of little-endian objects.</summary>
    public const byte ELFDATA2LSB = 1;
    /// <summary>e_version / EI_VERSION of the only ELF version.</summary>
    public const uint EV_CURRENT = 1;

    /// <summary>sh_type of an unused section header (index 0).</summary>
    public const uint SHT_NULL = 0;
    /// <summary>sh_type of program-defined contents: code, .data, .rodata, .maps, .BTF.</summary>
    public const uint SHT_PROGBITS = 1;
    /// <summary>sh_type of the symbol table.</summary>
    public const uint SHT_SYMTAB = 2;
    /// <summary>sh_type of a string table.</summary>
    public const uint SHT_STRTAB = 3;
    /// <summary>sh_type of relocations with explicit addends.</summary>
    public const uint SHT_RELA = 4;
    /// <summary>sh_type of a section with no bytes in the file (.bss).</summary>
    public const uint SHT_NOBITS = 8;
    /// <summary>sh_type of relocations without addends, what clang writes for BPF.</summary>
    public const uint SHT_REL = 9;

    /// <summary>sh_flags: writable at run time (.data, .bss).</summary>
    public const ulong SHF_WRITE = 1;
    /// <summary>sh_flags: occupies memory at run time.</summary>
    public const ulong SHF_ALLOC = 2;
    /// <summary>sh_flags: holds instructions (a program section).</summary>
    public const ulong SHF_EXECINSTR = 4;

    /// <summary>st_shndx of an undefined symbol (an extern).</summary>
    public const ushort SHN_UNDEF = 0;
    /// <summary>The lowest reserved section index; st_shndx at or above it is not a section.</summary>
    public const ushort SHN_LORESERVE = 0xff00;
    /// <summary>st_shndx of an absolute symbol, not relative to any section.</summary>
    public const ushort SHN_ABS = 0xfff1;
    /// <summary>st_shndx of an unallocated common symbol.</summary>
    public const ushort SHN_COMMON = 0xfff2;

    internal const int HeaderSize = 64;
    internal const int SectionHeaderSize = 64;
    internal const int SymbolSize = 24;
    internal const int RelocationSize = 16;
}
