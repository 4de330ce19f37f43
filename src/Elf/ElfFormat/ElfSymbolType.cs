namespace CpuMap.Managed.Elf;

/// <summary>ELF64_ST_TYPE: STT_NOTYPE, STT_OBJECT, STT_FUNC, STT_SECTION, STT_FILE.</summary>
public enum ElfSymbolType : byte
{
    NoType = 0,
    Object = 1,
    Func = 2,
    Section = 3,
    File = 4,
}
