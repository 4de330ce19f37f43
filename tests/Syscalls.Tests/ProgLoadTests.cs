using CpuMap.Managed.Testing;
using static CpuMap.Managed.Syscalls.Tests.TestPrograms;

namespace CpuMap.Managed.Syscalls.Tests;

public class ProgLoadTests
{
    [Fact]
    public void Loads_an_xdp_program_with_name_attach_type_and_flags()
    {
        Kernel.RequireBpf();
        using var prog = Bpf.ProgLoad(BpfProgType.Xdp, Return(XdpAction.Pass), "GPL", BpfAttachType.XdpCpumap,
            BpfProgFlags.XdpHasFrags, name: "xdp_pass");
        var info = Bpf.ObjGetInfoByFd(prog);
        Assert.Equal(BpfProgType.Xdp, info.Type);
        Assert.Equal("xdp_pass", info.Name.ToString());
        Assert.Equal(prog.Id, info.Id);
        Assert.True(info.GplCompatible);
        Assert.Equal(16, info.Tag.ToString().Length);
        Assert.Equal(new ProgLoadAttributes(BpfAttachType.XdpCpumap, BpfProgFlags.XdpHasFrags), prog.LoadAttributes);
        Assert.Null(prog.VerifierLog);
    }

    [Fact]
    public void A_log_level_keeps_the_log_of_a_successful_load()
    {
        Kernel.RequireBpf();
        using var prog = Bpf.ProgLoad(BpfProgType.Xdp, Return(XdpAction.Pass), logLevel: 2);
        Assert.Contains("processed 2 insns", prog.VerifierLog);
    }

    [Fact]
    public void A_verifier_failure_carries_the_log()
    {
        Kernel.RequireBpf();
        var e = Assert.Throws<BpfVerifierException>(() => Bpf.ProgLoad(BpfProgType.Xdp, Invalid(), name: "bad"));
        Assert.Equal((BpfCommand.ProgLoad, Errno.EACCES), (e.Command, e.Errno));
        Assert.Contains("R0 !read_ok", e.VerifierLog);
        Assert.Contains("R0 !read_ok", e.Message);
        Assert.Contains("verifier", e.Message);
    }

    [Fact]
    public void A_log_larger_than_the_first_buffer_is_read_whole()
    {
        Kernel.RequireBpf();
        // Level 2 logs every instruction: 6000 of them need more than the first 64 KiB buffer.
        var insns = Program([.. Enumerable.Repeat(MovImm(0, 2), 6000), Exit()]);
        using var prog = Bpf.ProgLoad(BpfProgType.Xdp, insns, logLevel: 2);
        Assert.True(prog.VerifierLog!.Length > 64 * 1024, $"log is {prog.VerifierLog.Length} bytes");
        Assert.Contains("processed 6001 insns", prog.VerifierLog);
    }

    [Fact]
    public void Kernel_attribute_refusals_are_explained()
    {
        Kernel.RequireBpf();
        // A prog_flags bit the kernel does not know is refused before the verifier runs: no log.
        var e = Assert.Throws<BpfVerifierException>(() =>
            Bpf.ProgLoad(BpfProgType.Xdp, Return(XdpAction.Pass), flags: (BpfProgFlags)(1u << 30)));
        Assert.Equal(Errno.EINVAL, e.Errno);
        Assert.Contains("flags", e.Message);
        Assert.Contains("The kernel wrote no verifier log", e.Message);
    }

    [Fact]
    public void Refuses_bad_arguments_before_the_call()
    {
        var pass = Return(XdpAction.Pass);
        Assert.Equal("type", Assert.Throws<ArgumentOutOfRangeException>(() => Bpf.ProgLoad(BpfProgType.Unspec, pass)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => Bpf.ProgLoad((BpfProgType)77, pass));
        var empty = Assert.Throws<ArgumentException>(() => Bpf.ProgLoad(BpfProgType.Xdp, []));
        Assert.Equal("instructions", empty.ParamName);
        var ragged = Assert.Throws<ArgumentException>(() => Bpf.ProgLoad(BpfProgType.Xdp, pass.AsSpan(0, 12)));
        Assert.Contains("12 bytes", ragged.Message);
        Assert.Contains("multiple of 8", ragged.Message);
        Assert.Throws<ArgumentNullException>(() => Bpf.ProgLoad(BpfProgType.Xdp, pass, license: null!));
        Assert.Equal("license", Assert.Throws<ArgumentException>(() => Bpf.ProgLoad(BpfProgType.Xdp, pass, license: "")).ParamName);
        Assert.Throws<ArgumentException>(() => Bpf.ProgLoad(BpfProgType.Xdp, pass, license: "GPL\0"));
        Assert.Throws<ArgumentException>(() => Bpf.ProgLoad(BpfProgType.Xdp, pass, license: "GPL©"));
        Assert.Contains("1 to 127", Assert.Throws<ArgumentException>(() => Bpf.ProgLoad(BpfProgType.Xdp, pass, license: new string('G', 128))).Message);
        Assert.Equal("logLevel", Assert.Throws<ArgumentOutOfRangeException>(() => Bpf.ProgLoad(BpfProgType.Xdp, pass, logLevel: 3)).ParamName);
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => Bpf.ProgLoad(BpfProgType.Xdp, pass, name: "x y")).ParamName);
    }
}
