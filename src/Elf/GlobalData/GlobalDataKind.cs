namespace CpuMap.Managed.Elf;

/// <summary>Which kind of global data section: the loader makes .rodata maps read-only to the
/// program (BPF_F_RDONLY_PROG) and freezes them.</summary>
public enum GlobalDataKind
{
    /// <summary>.rodata, .rodata.*: const (volatile) globals and string literals.</summary>
    ReadOnlyData,

    /// <summary>.data, .data.*: initialised globals.</summary>
    Data,

    /// <summary>.bss, .bss.*: zero-initialised globals (SHT_NOBITS: no bytes in the file).</summary>
    Bss,
}
