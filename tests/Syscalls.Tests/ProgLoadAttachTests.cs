using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using CpuMap.Managed.Testing;
using Microsoft.Win32.SafeHandles;
using static CpuMap.Managed.Syscalls.Tests.TestPrograms;

namespace CpuMap.Managed.Syscalls.Tests;

/// <summary>
/// BPF_PROG_LOAD's attach_btf_id, attach_prog_fd and attach_btf_obj_fd, the license an object
/// without one gets, and the BPF filesystem's refusal of names with dots.
/// </summary>
public sealed partial class ProgLoadAttachTests
{
    // The ids bpftool reads from the kernel's BTF for the tracepoints used here (a dump takes most of a second: once).
    private static readonly Lazy<string> VmlinuxDump = new(() => Shell.Run("bpftool", "btf", "dump", "file", "/sys/kernel/btf/vmlinux"));

    // Reads the tracepoint's 4th argument: the verifier allows it only if attach_btf_id names a tracepoint that has one.
    private static readonly byte[] ReadFourthArgument = Program(Insn(0x79, 0, 1, 24, 0), MovImm(0, 0), Exit());

    private static uint TracepointId(string name)
    {
        var match = Regex.Match(VmlinuxDump.Value, $@"^\[(\d+)\] TYPEDEF 'btf_trace_{name}'", RegexOptions.Multiline);
        Assert.True(match.Success, $"bpftool finds no btf_trace_{name} in the kernel's BTF");
        return uint.Parse(match.Groups[1].Value);
    }

    private static ProgFd LoadTpBtf(uint attachBtfId, ProgFd? attachProg = null, SafeHandle? attachBtfObj = null) =>
        Bpf.ProgLoad(BpfProgType.Tracing, ReadFourthArgument, expectedAttachType: BpfAttachType.TraceRawTp,
            attachBtfId: attachBtfId, attachProg: attachProg, attachBtfObj: attachBtfObj);

    [Fact]
    public void A_tp_btf_program_loads_typed_by_the_tracepoint_its_attach_btf_id_names()
    {
        Kernel.RequireBpf();
        Kernel.RequireTool("bpftool");
        var schedSwitch = TracepointId("sched_switch"); // 4 arguments

        using var prog = LoadTpBtf(schedSwitch);

        var info = Bpf.ObjGetInfoByFd(prog);
        Assert.Equal(BpfProgType.Tracing, info.Type);
        Assert.Equal(schedSwitch, info.AttachBtfId);

        // xdp_exception has 3 arguments: the same program is refused, so the id reached the verifier.
        var refused = Assert.Throws<BpfVerifierException>(() => LoadTpBtf(TracepointId("xdp_exception")));
        Assert.Equal(Errno.EACCES, refused.Errno);
        // Without an id the kernel has no target at all.
        Assert.ThrowsAny<BpfException>(() => LoadTpBtf(0));
    }

    [Fact]
    public void Attach_prog_fd_and_attach_btf_obj_fd_reach_the_kernel()
    {
        Kernel.RequireBpf();
        Kernel.RequireTool("bpftool");
        var schedSwitch = TracepointId("sched_switch");
        using var xdp = LoadXdp();
        using var map = Bpf.MapCreate(BpfMapType.Array, 4, 4, 1);
        using (LoadTpBtf(schedSwitch)) { }

        // An XDP program has no BTF, so the id cannot name a function in it: the same load now fails.
        Assert.ThrowsAny<BpfException>(() => LoadTpBtf(schedSwitch, attachProg: xdp));
        // attach_btf_obj_fd shares the field; a map is neither a program nor a BTF object: EINVAL.
        var notBtf = Assert.ThrowsAny<BpfException>(() => LoadTpBtf(schedSwitch, attachBtfObj: map));
        Assert.Equal(Errno.EINVAL, notBtf.Errno);
    }

    [Fact]
    public void Bad_attach_arguments_are_refused_by_name()
    {
        Kernel.RequireBpf();
        using var xdp = LoadXdp();
        using var map = Bpf.MapCreate(BpfMapType.Array, 4, 4, 1);

        var both = Assert.Throws<ArgumentException>(() => LoadTpBtf(1, attachProg: xdp, attachBtfObj: map));
        Assert.Equal("attachBtfObj", both.ParamName);
        Assert.Contains("attach_prog_fd / attach_btf_obj_fd", both.Message);
        Assert.Equal("attachBtfId", Assert.Throws<ArgumentException>(() => LoadTpBtf(0, attachProg: xdp)).ParamName);
        Assert.Equal("attachBtfId", Assert.Throws<ArgumentException>(() => LoadTpBtf(0, attachBtfObj: map)).ParamName);

        var closedProg = LoadXdp();
        closedProg.Dispose();
        Assert.Equal("attachProg", Assert.Throws<ObjectDisposedException>(() => LoadTpBtf(1, attachProg: closedProg)).ObjectName);
        using var invalid = new SafeFileHandle(-1, ownsHandle: false);
        Assert.Equal("attachBtfObj", Assert.Throws<ObjectDisposedException>(() => LoadTpBtf(1, attachBtfObj: invalid)).ObjectName);
    }

    [Fact]
    public void An_empty_license_is_refused_with_what_libbpf_means_by_it()
    {
        var error = Assert.Throws<ArgumentException>(() => Bpf.ProgLoad(BpfProgType.Xdp, Return(XdpAction.Pass), license: ""));

        Assert.Equal("license", error.ParamName);
        Assert.Contains("The kernel reads an empty license as not GPL-compatible", error.Message);
        Assert.Contains("libbpf passes one for an object without a \"license\" section", error.Message);
        Assert.Contains("\"Proprietary\"", error.Message);
    }

    [Theory]
    [InlineData("my.map")]
    [InlineData(".rodata")]
    public void Pinning_a_name_with_a_dot_says_the_bpf_filesystem_refuses_dots(string name)
    {
        Kernel.RequireBpf();
        using var fs = new PrivateBpfFs();
        using var map = Bpf.MapCreate(BpfMapType.Array, 4, 4, 1);
        var path = Path.Combine(fs.Path, name);

        var pin = Assert.Throws<BpfException>(() => Bpf.ObjPin(map, path));
        var get = Assert.Throws<BpfException>(() => Bpf.ObjGetMap(path));

        foreach (var error in new[] { pin, get })
        {
            Assert.Equal(Errno.EPERM, error.Errno);
            Assert.Contains($"(path '{path}') the BPF filesystem refuses names that contain '.', and '{name}' does", error.Message);
            Assert.DoesNotContain("privilege", error.Message);
        }
        // A dot in a folder above is not the cause: the hint stays the general one.
        var folder = Assert.Throws<BpfException>(() => Bpf.ObjPin(map, Path.Combine(fs.Path + ".d", "map")));
        Assert.DoesNotContain("refuses names that contain '.'", folder.Message);
    }
}
