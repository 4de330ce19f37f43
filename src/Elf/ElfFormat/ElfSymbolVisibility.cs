namespace CpuMap.Managed.Elf;

/// <summary>ELF64_ST_VISIBILITY: STV_DEFAULT, STV_INTERNAL, STV_HIDDEN, STV_PROTECTED.</summary>
public enum ElfSymbolVisibility : byte
{
    Default = 0,
    Internal = 1,
    Hidden = 2,
    Protected = 3,
}
