namespace BpfAsm;

/// <summary><c>struct bpf_func_info</c> without insn_off (its instruction's place is the offset): the BTF FUNC of the function starting there.</summary>
/// <param name="TypeId">The FUNC's id in the program's BTF.</param>
public readonly record struct FuncInfo(uint TypeId);
