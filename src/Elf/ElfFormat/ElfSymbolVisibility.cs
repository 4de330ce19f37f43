namespace CpuMap.Managed.Elf;

/// <summary>ELF64_ST_VISIBILITY: STV_DEFAULT, STV_INTERNAL, STV_HIDDEN, STV_PROTECTED.</summary>
public enum ElfSymbolVisibility : byte
{
    /// <summary><c>STV_DEFAULT</c>: visibility as the binding says.</summary>
    Default = 0,
    /// <summary><c>STV_INTERNAL</c>: hidden, with processor-specific meaning.</summary>
    Internal = 1,
    /// <summary><c>STV_HIDDEN</c>: not visible outside the linked object (__hidden).</summary>
    Hidden = 2,
    /// <summary><c>STV_PROTECTED</c>: visible but not preemptible.</summary>
    Protected = 3,
}
