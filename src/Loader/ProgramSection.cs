using CpuMap.Managed.Syscalls;

namespace CpuMap.Managed.Loader;

/// <summary>
/// What a program's ELF section name means to the loader, as libbpf's section_defs define it: the
/// program type, the expected attach type and the prog_flags to load it with.
/// </summary>
/// <param name="Prefix">The table entry that matched, e.g. "xdp.frags/cpumap" or "kprobe".</param>
/// <param name="ProgramType">prog_type for BPF_PROG_LOAD.</param>
/// <param name="ExpectedAttachType">expected_attach_type, or null where the kernel wants none (tc, socket, kprobe...).</param>
/// <param name="Flags">prog_flags, e.g. BPF_F_XDP_HAS_FRAGS for the ".frags" sections.</param>
/// <param name="NeedsAttachBtfId">True for sections whose programs attach by a kernel BTF id
/// (tp_btf/, fentry/, fexit/, fmod_ret/, lsm/, iter/): the loader needs attach_btf_id for them.</param>
public sealed record ProgramSection(
    string Prefix,
    BpfProgType ProgramType,
    BpfAttachType? ExpectedAttachType,
    BpfProgFlags Flags,
    bool NeedsAttachBtfId = false)
{
    /// <summary>The program type in the kernel's words, e.g. BPF_PROG_TYPE_XDP.</summary>
    public string ProgramTypeName => KernelNames.Of(ProgramType);

    /// <summary>The expected attach type in the kernel's words, e.g. BPF_XDP_CPUMAP, or null.</summary>
    public string? ExpectedAttachTypeName => ExpectedAttachType is { } type ? KernelNames.Of(type) : null;
}
