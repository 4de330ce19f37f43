namespace CpuMap.Managed.Syscalls;

/// <summary>The Linux capabilities this toolchain's operations need (kernel: <c>CAP_*</c> in linux/capability.h).</summary>
public enum Capability
{
    /// <summary>Network devices, netlink changes, XDP attach; with CAP_BPF, loading networking programs.</summary>
    NetAdmin = 12,

    /// <summary>Namespaces and mounts (bpffs), BPF_*_GET_FD_BY_ID; stands in for CAP_BPF and CAP_PERFMON.</summary>
    SysAdmin = 21,

    /// <summary>Programs that read kernel memory (tracing, tp_btf, kprobes), and pointer leaks in verifier logs.</summary>
    Perfmon = 38,

    /// <summary>Maps, programs, BTF, links (Linux 5.8+; CAP_SYS_ADMIN before).</summary>
    Bpf = 39,
}
