namespace CpuMap.Managed.Elf.Btf;

/// <summary>The .BTF.ext records of one executable section, each list sorted by insn_off as clang writes them.</summary>
public sealed class BtfExtSection
{
    internal BtfExtSection(string name) => Name = name;

    /// <summary>The executable section the records belong to, e.g. "xdp" or ".text".</summary>
    public string Name { get; }

    /// <summary>The bpf_func_info records: which BTF FUNC starts at which instruction.</summary>
    public IReadOnlyList<BtfFuncInfo> FuncInfos { get; internal set; } = [];
    /// <summary>The bpf_line_info records: the source line of instructions.</summary>
    public IReadOnlyList<BtfLineInfo> LineInfos { get; internal set; } = [];
    /// <summary>The bpf_core_relo records: the CO-RE relocations to resolve against the target's BTF.</summary>
    public IReadOnlyList<BtfCoreRelo> CoreRelos { get; internal set; } = [];
}
