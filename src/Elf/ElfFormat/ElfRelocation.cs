namespace CpuMap.Managed.Elf;

/// <summary>One Elf64_Rel: r_offset in the target section and r_info split into symbol index
/// (ELF64_R_SYM) and type (ELF64_R_TYPE).</summary>
public readonly record struct ElfRelocation(ulong Offset, uint SymbolIndex, BpfRelocationType Type);
