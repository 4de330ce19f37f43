namespace CpuMap.Managed.Elf;

/// <summary>ELF64_ST_BIND: STB_LOCAL, STB_GLOBAL, STB_WEAK.</summary>
public enum ElfSymbolBinding : byte
{
    /// <summary><c>STB_LOCAL</c>: visible only in this object (static).</summary>
    Local = 0,
    /// <summary><c>STB_GLOBAL</c>: visible to other objects.</summary>
    Global = 1,
    /// <summary><c>STB_WEAK</c>: global, but may be missing or overridden (__weak).</summary>
    Weak = 2,
}
