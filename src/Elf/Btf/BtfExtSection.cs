namespace CpuMap.Managed.Elf.Btf;

/// <summary>The .BTF.ext records of one executable section, each list sorted by insn_off as clang writes them.</summary>
public sealed class BtfExtSection
{
    internal BtfExtSection(string name) => Name = name;

    /// <summary>The executable section the records belong to, e.g. "xdp" or ".text".</summary>
    public string Name { get; }

    public IReadOnlyList<BtfFuncInfo> FuncInfos { get; internal set; } = [];
    public IReadOnlyList<BtfLineInfo> LineInfos { get; internal set; } = [];
    public IReadOnlyList<BtfCoreRelo> CoreRelos { get; internal set; } = [];
}
