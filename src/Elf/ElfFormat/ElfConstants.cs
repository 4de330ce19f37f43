namespace CpuMap.Managed.Elf;

/// <summary>The ELF numbers (from elf.h) the reader checks, under their C names.</summary>
public static class ElfConstants
{
    public const ushort EM_BPF = 247;
    public const ushort ET_REL = 1;
    public const byte ELFCLASS64 = 2;
    public const byte ELFDATA2LSB = 1;
    public const uint EV_CURRENT = 1;

    public const uint SHT_NULL = 0;
    public const uint SHT_PROGBITS = 1;
    public const uint SHT_SYMTAB = 2;
    public const uint SHT_STRTAB = 3;
    public const uint SHT_RELA = 4;
    public const uint SHT_NOBITS = 8;
    public const uint SHT_REL = 9;

    public const ulong SHF_WRITE = 1;
    public const ulong SHF_ALLOC = 2;
    public const ulong SHF_EXECINSTR = 4;

    public const ushort SHN_UNDEF = 0;
    public const ushort SHN_LORESERVE = 0xff00;
    public const ushort SHN_ABS = 0xfff1;
    public const ushort SHN_COMMON = 0xfff2;

    internal const int HeaderSize = 64;
    internal const int SectionHeaderSize = 64;
    internal const int SymbolSize = 24;
    internal const int RelocationSize = 16;
}
