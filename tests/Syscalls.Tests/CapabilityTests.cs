using CpuMap.Managed.Syscalls.Netlink;
using CpuMap.Managed.Testing;
using static CpuMap.Managed.Syscalls.Tests.TestPrograms;

namespace CpuMap.Managed.Syscalls.Tests;

/// <summary>
/// What the kernel checks for each kind of call, seen by dropping capabilities on one thread of this root process, and
/// the message that names the one missing: the kernel decides, the message must agree with it.
/// </summary>
public sealed class CapabilityTests
{
    [Fact]
    public void Root_has_every_capability_the_toolchain_uses()
    {
        Kernel.RequireBpf();
        Assert.Empty(Capabilities.Missing(Enum.GetValues<Capability>()));
        Assert.All(Enum.GetValues<Capability>(), c => Assert.True(Capabilities.Has(c), c.KernelName()));
    }

    [Fact]
    public void Without_cap_bpf_and_cap_sys_admin_a_map_is_refused_naming_cap_bpf()
    {
        Kernel.RequireBpf();
        var e = ThreadCapabilities.Without([Capability.Bpf, Capability.SysAdmin],
            () => Assert.Throws<BpfException>(() => Bpf.MapCreate(BpfMapType.Array, 4, 4, 1)));
        Assert.Equal(Errno.EPERM, e.Errno);
        Assert.Equal("BPF_MAP_CREATE failed with EPERM (Operation not permitted): BPF_MAP_CREATE needs CAP_BPF, and this process lacks CAP_BPF. " +
                     "Run as root, or grant it: 'setcap cap_bpf+ep BINARY' for a binary; --cap-add BPF for podman or docker; " +
                     "securityContext.capabilities.add: [BPF] in a Kubernetes pod. (Before Linux 5.8 CAP_SYS_ADMIN stands for CAP_BPF; " +
                     "before 5.11 also raise RLIMIT_MEMLOCK: ulimit -l unlimited.)", e.Message);
        // CAP_SYS_ADMIN alone stands for CAP_BPF (bpf_capable()): the kernel agrees with Capabilities.Has.
        ThreadCapabilities.Without(Capability.Bpf, () =>
        {
            Assert.True(Capabilities.Has(Capability.Bpf));
            Bpf.MapCreate(BpfMapType.Array, 4, 4, 1).Dispose();
            return 0;
        });
    }

    [Fact]
    public void Without_cap_net_admin_an_xdp_program_is_refused_naming_it_but_a_socket_filter_loads()
    {
        Kernel.RequireBpf();
        // CAP_SYS_ADMIN would stand for CAP_NET_ADMIN here (bpf_net_capable()), so it goes too.
        var (xdp, socketFilterLoaded) = ThreadCapabilities.Without([Capability.NetAdmin, Capability.SysAdmin], () =>
        {
            var refused = Assert.Throws<BpfException>(() => LoadXdp());
            using var filter = Bpf.ProgLoad(BpfProgType.SocketFilter, Return(0));
            return (refused, !filter.IsInvalid);
        });
        Assert.Equal(Errno.EPERM, xdp.Errno);
        Assert.Contains("BPF_PROG_LOAD of a BPF_PROG_TYPE_XDP program needs CAP_BPF and CAP_NET_ADMIN, and this process lacks CAP_NET_ADMIN.", xdp.Message);
        Assert.Contains("--cap-add NET_ADMIN", xdp.Message);
        Assert.True(socketFilterLoaded);
    }

    [Fact]
    public void Without_cap_perfmon_and_cap_sys_admin_a_tracing_program_is_refused_naming_cap_perfmon()
    {
        Kernel.RequireBpf();
        var e = ThreadCapabilities.Without([Capability.Perfmon, Capability.SysAdmin],
            () => Assert.Throws<BpfException>(() => Bpf.ProgLoad(BpfProgType.RawTracepoint, Return(0))));
        Assert.Equal(Errno.EPERM, e.Errno);
        Assert.Contains("BPF_PROG_LOAD of a BPF_PROG_TYPE_RAW_TRACEPOINT program needs CAP_BPF and CAP_PERFMON, and this process lacks CAP_PERFMON.", e.Message);
    }

    [Fact]
    public void Without_cap_sys_admin_opening_a_program_by_id_is_refused_naming_it()
    {
        Kernel.RequireBpf();
        using var prog = LoadXdp();
        var e = ThreadCapabilities.Without(Capability.SysAdmin, () => Assert.Throws<BpfException>(() => Bpf.ProgGetFdById(prog.Id)));
        Assert.Equal(Errno.EPERM, e.Errno);
        Assert.Contains("BPF_PROG_GET_FD_BY_ID needs CAP_SYS_ADMIN, and this process lacks CAP_SYS_ADMIN.", e.Message);
    }

    [Fact]
    public void Without_cap_sys_admin_no_network_namespace_is_made_and_the_error_says_which_capability()
    {
        Kernel.RequireBpf();
        var e = ThreadCapabilities.Without(Capability.SysAdmin, () => Assert.Throws<BpfOperationException>(() => NetworkNamespace.CreateAnonymous()));
        Assert.Equal(("unshare(CLONE_NEWNET)", Errno.EPERM), (e.Operation, e.Errno));
        Assert.StartsWith("unshare(CLONE_NEWNET) failed with EPERM", e.Message);
        Assert.Contains("Creating a network namespace needs CAP_SYS_ADMIN, and this process lacks CAP_SYS_ADMIN.", e.Message);
    }

    [Fact]
    public void With_every_capability_an_eperm_is_blamed_on_what_else_refuses()
    {
        Kernel.RequireBpf();
        var text = Capabilities.ExplainDenied("BPF_MAP_CREATE", Capability.Bpf);
        Assert.Equal("BPF_MAP_CREATE needs CAP_BPF, which this process has, so something else refused it: a seccomp profile " +
                     "(a container runtime's default one may refuse bpf(2) or unshare(2): see the README's container section), " +
                     "kernel lockdown, or a Linux security module (SELinux, AppArmor).", text);
    }
}
