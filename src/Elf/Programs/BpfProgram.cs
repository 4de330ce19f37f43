namespace CpuMap.Managed.Elf;

/// <summary>
/// One function of an executable section: an entry program (a global function in a section such
/// as "xdp" or "tc") or a .text subprogram that programs reach through BPF-to-BPF calls. The
/// section name is kept raw; program type and attach type are the loader's reading of it.
/// </summary>
public sealed class BpfProgram
{
    internal BpfProgram(string name, ElfSection section, int offset, ReadOnlyMemory<byte> instructions, ElfSymbolBinding binding, bool isSubprogram, IReadOnlyList<BpfProgramRelocation> relocations)
    {
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
    public int SectionIndex { get; }

    /// <summary>Byte offset of the first instruction in the section.</summary>
    public int Offset { get; }

    /// <summary>The raw struct bpf_insn bytes, 8 per slot (ld_imm64 takes two slots).</summary>
    public ReadOnlyMemory<byte> Instructions { get; }

    /// <summary>Instruction slots, as the kernel counts insn_cnt.</summary>
    public int InstructionCount => Instructions.Length / 8;

    /// <summary>Global for entry programs and global subprograms, Local for static subprograms.</summary>
    public ElfSymbolBinding Binding { get; }

    /// <summary>True for a function of .text or .text.*, or a static function another function calls: loaded only as part of
    /// the programs that call it. Global functions of other sections, and static ones nothing calls, are programs.</summary>
    public bool IsSubprogram { get; internal set; }

    public IReadOnlyList<BpfProgramRelocation> Relocations { get; }

    public override string ToString() => $"{(IsSubprogram ? "subprogram" : "program")} '{Name}' in '{SectionName}' ({InstructionCount} insns)";
}
