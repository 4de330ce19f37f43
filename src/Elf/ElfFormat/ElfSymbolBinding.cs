namespace CpuMap.Managed.Elf;

/// <summary>ELF64_ST_BIND: STB_LOCAL, STB_GLOBAL, STB_WEAK.</summary>
public enum ElfSymbolBinding : byte
{
    Local = 0,
    Global = 1,
    Weak = 2,
}
