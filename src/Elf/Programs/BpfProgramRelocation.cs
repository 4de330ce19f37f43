namespace CpuMap.Managed.Elf;

/// <summary>
/// One relocation of a program's instructions, resolved as far as the file allows.
/// </summary>
/// <param name="Offset">Byte offset of the instruction within the program.</param>
/// <param name="Type">The ELF relocation type (R_BPF_64_64 for ld_imm64, R_BPF_64_32 for calls),
/// or R_BPF_NONE for a call to a static function of the same section, which the compiler resolved
/// in place and gave no ELF relocation.</param>
/// <param name="Kind">What the instruction refers to.</param>
/// <param name="Symbol">The relocation's symbol (a map, variable, function, or a section symbol).</param>
/// <param name="TargetSectionName">The section the symbol is in.</param>
/// <param name="TargetOffset">Byte offset of the target in that section: the map's offset, the
/// variable's offset (symbol value plus the instruction's immediate), or the called function's
/// first instruction.</param>
/// <param name="TargetName">The map, the global data section, or the called subprogram.</param>
public sealed record BpfProgramRelocation(
    int Offset,
    BpfRelocationType Type,
    BpfRelocationKind Kind,
    ElfSymbol Symbol,
    string TargetSectionName,
    long TargetOffset,
    string TargetName)
{
    /// <summary>The instruction slot (Offset / 8).</summary>
    public int InstructionIndex => Offset / 8;
}
