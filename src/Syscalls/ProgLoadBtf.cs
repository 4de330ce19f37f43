namespace CpuMap.Managed.Syscalls;

/// <summary>
/// The program BTF part of BPF_PROG_LOAD: prog_btf_fd, func_info, line_info and the CO-RE
/// relocations (core_relos) the kernel applies against its own BTF. Records are in the kernel's
/// layouts (struct bpf_func_info, bpf_line_info, bpf_core_relo), insn_off already translated to
/// the program given: an instruction index for func_info and line_info, a byte offset for core_relo.
/// </summary>
/// <param name="Btf">The program's BTF; func_info type ids, line_info strings and core_relo types are in it.</param>
/// <param name="FuncInfo">func_info records, <paramref name="FuncInfoRecSize"/> bytes each; one per function, the first at 0.</param>
/// <param name="FuncInfoRecSize">8 in today's format.</param>
/// <param name="LineInfo">line_info records, <paramref name="LineInfoRecSize"/> bytes each, by increasing insn_off.</param>
/// <param name="LineInfoRecSize">16 in today's format.</param>
/// <param name="CoreRelos">core_relo records, <paramref name="CoreReloRecSize"/> bytes each (Linux 5.17+).
/// The kernel reads them only together with func_info or line_info.</param>
/// <param name="CoreReloRecSize">16 in today's format.</param>
public sealed record ProgLoadBtf(
    BtfFd Btf,
    ReadOnlyMemory<byte> FuncInfo,
    uint FuncInfoRecSize,
    ReadOnlyMemory<byte> LineInfo,
    uint LineInfoRecSize,
    ReadOnlyMemory<byte> CoreRelos = default,
    uint CoreReloRecSize = 16)
{
    internal uint Count(ReadOnlyMemory<byte> records, uint size, string what)
    {
        if (records.IsEmpty)
            return 0;
        if (size == 0 || records.Length % size != 0)
            throw new ArgumentException($"{what} is {records.Length} bytes, not a whole number of {size}-byte records.", what);
        return (uint)(records.Length / size);
    }
}
