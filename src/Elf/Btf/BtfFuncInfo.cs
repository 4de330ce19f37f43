namespace CpuMap.Managed.Elf.Btf;

/// <summary>One func_info record of .BTF.ext (struct bpf_func_info): the function starting at
/// <see cref="InsnOff"/> has the BTF FUNC <see cref="TypeId"/>.</summary>
/// <param name="InsnOff">In the object: the byte offset of the function's first instruction in its
/// section. BPF_PROG_LOAD wants an instruction index in the linked program instead.</param>
/// <param name="TypeId">A BTF_KIND_FUNC of the object's .BTF.</param>
public readonly record struct BtfFuncInfo(uint InsnOff, uint TypeId);
