using System.Collections.Immutable;

namespace CpuMap.Managed.Elf;

/// <summary>
/// One function of an executable section: an entry program (a global function in a section such
/// as "xdp" or "tc") or a .text subprogram that programs reach through BPF-to-BPF calls. The
/// section name is kept raw; program type and attach type are the loader's reading of it.
/// </summary>
public sealed class BpfProgram
{
    internal BpfProgram(string name, ElfSection section, int offset, ImmutableArray<Instruction> instructions, ElfSymbolBinding binding, bool isSubprogram, IReadOnlyList<BpfProgramRelocation> relocations)
    {
        InstructionCount = Instruction.CountSlots(instructions.AsSpan());
        Name = name;
        SectionName = section.Name;
        SectionIndex = section.Index;
        Offset = offset;
        Instructions = instructions;
        Binding = binding;
        IsSubprogram = isSubprogram;
        Relocations = relocations;
    }

    /// <summary>The function's symbol name.</summary>
    public string Name { get; }

    /// <summary>The ELF section name, e.g. "xdp", "xdp/cpumap", "tracepoint/syscalls/sys_enter_getpid".</summary>
    public string SectionName { get; }
    /// <summary>The ELF index of <see cref="SectionName"/>.</summary>
    public int SectionIndex { get; }

    /// <summary>Byte offset of the first instruction in the section.</summary>
    public int Offset { get; }

    /// <summary>The instructions as the object holds them (an ld_imm64 is one instruction of two slots), before linking.</summary>
    public ImmutableArray<Instruction> Instructions { get; }

    /// <summary>
    /// One entry per instruction of <see cref="Instructions"/>, null where there is none: what a loader resolves
    /// (a map, global data, subprogram, callback or extern, from <see cref="Relocations"/>) and the instruction's
    /// func_info, line_info and CO-RE relocation from .BTF.ext. The linker moves them with the instructions.
    /// </summary>
    public ImmutableArray<InstructionMetadata?> Metadata { get; internal set; } = [];

    /// <summary>Instruction slots, as the kernel counts insn_cnt.</summary>
    public int InstructionCount { get; }

    /// <summary>The index into <see cref="Instructions"/> of the instruction at slot <paramref name="slot"/>, or -1 when the slot is the second half of an ld_imm64 or past the end.</summary>
    public int IndexOfSlot(int slot) => IndexOfSlot(Instructions, slot);

    internal static int IndexOfSlot(ImmutableArray<Instruction> instructions, int slot)
    {
        var at = 0;
        for (var i = 0; i < instructions.Length && at <= slot; i++)
        {
            if (at == slot)
                return i;
            at += instructions[i].Slots;
        }
        return -1;
    }

    /// <summary>For each slot, the index of the instruction starting there, -1 for the second half of an ld_imm64.</summary>
    internal static int[] IndexBySlot(ImmutableArray<Instruction> instructions)
    {
        var indexes = new int[Instruction.CountSlots(instructions.AsSpan())];
        var at = 0;
        for (var i = 0; i < instructions.Length; i++)
        {
            indexes[at] = i;
            if (instructions[i].IsWide)
                indexes[at + 1] = -1;
            at += instructions[i].Slots;
        }
        return indexes;
    }

    /// <summary>Global for entry programs and global subprograms, Local for static subprograms.</summary>
    public ElfSymbolBinding Binding { get; }

    /// <summary>True for a function of .text or .text.*, or a static function another function calls: loaded only as part of
    /// the programs that call it. Global functions of other sections, and static ones nothing calls, are programs.</summary>
    public bool IsSubprogram { get; internal set; }

    /// <summary>The ELF relocations of the function, as the object states them (what <see cref="Metadata"/>'s references come from).</summary>
    public IReadOnlyList<BpfProgramRelocation> Relocations { get; }

    /// <summary>Whether a program or subprogram, its name, section and size, for messages.</summary>
    public override string ToString() => $"{(IsSubprogram ? "subprogram" : "program")} '{Name}' in '{SectionName}' ({InstructionCount} insns)";
}
