using CpuMap.Managed.Syscalls;

namespace CpuMap.Managed.Loader.Tests;

public sealed class ProgramSectionsTests
{
    [Theory]
    [InlineData("xdp", BpfProgType.Xdp, BpfAttachType.Xdp, BpfProgFlags.None)]
    [InlineData("xdp.frags", BpfProgType.Xdp, BpfAttachType.Xdp, BpfProgFlags.XdpHasFrags)]
    [InlineData("xdp/cpumap", BpfProgType.Xdp, BpfAttachType.XdpCpumap, BpfProgFlags.None)]
    [InlineData("xdp.frags/cpumap", BpfProgType.Xdp, BpfAttachType.XdpCpumap, BpfProgFlags.XdpHasFrags)]
    [InlineData("xdp/devmap", BpfProgType.Xdp, BpfAttachType.XdpDevmap, BpfProgFlags.None)]
    [InlineData("xdp.frags/devmap", BpfProgType.Xdp, BpfAttachType.XdpDevmap, BpfProgFlags.XdpHasFrags)]
    [InlineData("tc", BpfProgType.SchedCls, null, BpfProgFlags.None)]
    [InlineData("classifier", BpfProgType.SchedCls, null, BpfProgFlags.None)]
    [InlineData("tcx/ingress", BpfProgType.SchedCls, BpfAttachType.TcxIngress, BpfProgFlags.None)]
    [InlineData("socket", BpfProgType.SocketFilter, null, BpfProgFlags.None)]
    [InlineData("tracepoint/syscalls/sys_enter_getpid", BpfProgType.Tracepoint, null, BpfProgFlags.None)]
    [InlineData("tp/sched/sched_switch", BpfProgType.Tracepoint, null, BpfProgFlags.None)]
    [InlineData("kprobe/do_nanosleep", BpfProgType.Kprobe, null, BpfProgFlags.None)]
    [InlineData("kretprobe/do_nanosleep", BpfProgType.Kprobe, null, BpfProgFlags.None)]
    [InlineData("raw_tracepoint/sched_switch", BpfProgType.RawTracepoint, null, BpfProgFlags.None)]
    [InlineData("raw_tp/sched_switch", BpfProgType.RawTracepoint, null, BpfProgFlags.None)]
    [InlineData("tp_btf/sched_switch", BpfProgType.Tracing, BpfAttachType.TraceRawTp, BpfProgFlags.None)]
    [InlineData("fentry/do_nanosleep", BpfProgType.Tracing, BpfAttachType.TraceFentry, BpfProgFlags.None)]
    [InlineData("fexit/do_nanosleep", BpfProgType.Tracing, BpfAttachType.TraceFexit, BpfProgFlags.None)]
    [InlineData("fmod_ret/bpf_modify_return_test", BpfProgType.Tracing, BpfAttachType.ModifyReturn, BpfProgFlags.None)]
    [InlineData("iter/task", BpfProgType.Tracing, BpfAttachType.TraceIter, BpfProgFlags.None)]
    [InlineData("lsm/file_open", BpfProgType.Lsm, BpfAttachType.LsmMac, BpfProgFlags.None)]
    [InlineData("fentry.s/do_nanosleep", BpfProgType.Tracing, BpfAttachType.TraceFentry, BpfProgFlags.Sleepable)]
    [InlineData("fexit.s/do_nanosleep", BpfProgType.Tracing, BpfAttachType.TraceFexit, BpfProgFlags.Sleepable)]
    [InlineData("fmod_ret.s/bpf_modify_return_test", BpfProgType.Tracing, BpfAttachType.ModifyReturn, BpfProgFlags.Sleepable)]
    [InlineData("iter.s/task", BpfProgType.Tracing, BpfAttachType.TraceIter, BpfProgFlags.Sleepable)]
    [InlineData("lsm.s/file_open", BpfProgType.Lsm, BpfAttachType.LsmMac, BpfProgFlags.Sleepable)]
    public void Reads_the_section_name_as_libbpf_does(string section, BpfProgType type, BpfAttachType? attach, BpfProgFlags flags)
    {
        var found = ProgramSections.Get(section);

        Assert.Equal(type, found.ProgramType);
        Assert.Equal(attach, found.ExpectedAttachType);
        Assert.Equal(flags, found.Flags);
        Assert.Equal(type is BpfProgType.Tracing or BpfProgType.Lsm, found.NeedsAttachBtfId);
    }

    [Fact]
    public void Names_the_kernel_types_in_the_kernels_words()
    {
        var section = ProgramSections.Get("xdp.frags/cpumap");

        Assert.Equal("BPF_PROG_TYPE_XDP", section.ProgramTypeName);
        Assert.Equal("BPF_XDP_CPUMAP", section.ExpectedAttachTypeName);
        Assert.Null(ProgramSections.Get("socket").ExpectedAttachTypeName);
    }

    [Theory]
    [InlineData("xdp/bogus")]      // "xdp" matches only itself: xdp/cpumap and xdp/devmap have their own entries
    [InlineData("xdpx")]
    [InlineData("kprobex/foo")]
    [InlineData("")]
    [InlineData("license")]
    public void Unknown_sections_are_refused_by_name(string section)
    {
        Assert.Null(ProgramSections.Find(section));
        var error = Assert.Throws<ArgumentException>(() => ProgramSections.Get(section));
        Assert.Contains($"'{section}'", error.Message);
        Assert.Contains("xdp.frags/cpumap", error.Message);
        Assert.Equal("sectionName", error.ParamName);
    }

    [Fact]
    public void Null_is_refused() => Assert.Throws<ArgumentNullException>(() => ProgramSections.Find(null!));
}
