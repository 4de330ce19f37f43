namespace BpfAsm;

/// <summary><c>struct bpf_core_relo</c> without insn_off (its instruction's place is the offset): a compile-time answer the kernel replaces with its own.</summary>
/// <param name="TypeId">The root type in the program's BTF.</param>
/// <param name="AccessStrOff">The access string ("0:1:2"), an offset into the program BTF's strings.</param>
/// <param name="Kind">The kernel's <c>enum bpf_core_relo_kind</c>.</param>
public readonly record struct CoreRelocation(uint TypeId, uint AccessStrOff, uint Kind);
