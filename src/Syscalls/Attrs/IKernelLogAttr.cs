namespace CpuMap.Managed.Syscalls;

/// <summary>
/// The log fields a bpf(2) command with a kernel log has (BPF_PROG_LOAD's verifier log, BPF_BTF_LOAD's BTF log): the same
/// four, at other offsets in each attribute struct. Lets one loop grow the log buffer for both.
/// </summary>
internal interface IKernelLogAttr
{
    /// <summary>Sets log_level, log_size and log_buf, and clears log_true_size.</summary>
    void SetLog(uint level, uint size, ulong buffer);

    /// <summary>log_true_size: the size the whole log needs (Linux 6.4+; 0 before).</summary>
    uint LogTrueSize { get; }
}
