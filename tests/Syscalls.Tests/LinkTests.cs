using CpuMap.Managed.Testing;
using static CpuMap.Managed.Syscalls.Tests.TestPrograms;

namespace CpuMap.Managed.Syscalls.Tests;

public class LinkTests
{
    [Fact]
    public void Xdp_link_attaches_reports_and_detaches()
    {
        Kernel.RequireBpf();
        using var veth = new Veth();
        using var prog = LoadXdp();
        using var link = Bpf.LinkCreateXdp(prog, veth.Ifindex, XdpMode.Skb);
        var info = Bpf.ObjGetInfoByFd(link);
        Assert.Equal((BpfLinkType.Xdp, prog.Id, (uint)veth.Ifindex, link.Id), (info.Type, info.ProgId, info.XdpIfindex, info.Id));
        Assert.Contains($"prog/xdp id {prog.Id}", Shell.Run("ip", "link", "show", veth.Name));

        var busy = Assert.Throws<BpfException>(() => Bpf.LinkCreateXdp(prog, veth.Ifindex, XdpMode.Skb));
        Assert.Equal(BpfCommand.LinkCreate, busy.Command);
        Assert.Contains("already attached", busy.Message);

        Bpf.LinkDetach(link);
        Assert.DoesNotContain("prog/xdp", Shell.Run("ip", "link", "show", veth.Name));
        Assert.Equal(0u, Bpf.ObjGetInfoByFd(link).XdpIfindex);
    }

    [Fact]
    public void Kernel_refusals_are_explained()
    {
        Kernel.RequireBpf();
        using var veth = new Veth();
        using var cpumapProg = LoadXdp(expectedAttachType: BpfAttachType.XdpCpumap);
        var wrongType = Assert.Throws<BpfException>(() => Bpf.LinkCreateXdp(cpumapProg, veth.Ifindex));
        Assert.Equal((BpfCommand.LinkCreate, Errno.EINVAL), (wrongType.Command, wrongType.Errno));
        Assert.Contains("expected attach type", wrongType.Message);
        using var prog = LoadXdp();
        var noDevice = Assert.Throws<BpfException>(() => Bpf.LinkCreateXdp(prog, 999_999));
        Assert.Equal(Errno.EINVAL, noDevice.Errno);
        Assert.Contains("ifindex", noDevice.Message);
    }

    [Fact]
    public void Refuses_bad_arguments()
    {
        Kernel.RequireBpf();
        using var prog = LoadXdp();
        Assert.Equal("target", Assert.Throws<ArgumentOutOfRangeException>(() => Bpf.LinkCreateXdp(prog, 0)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => Bpf.LinkCreate(prog, -3, BpfAttachType.Xdp));
        Assert.Throws<ArgumentNullException>(() => Bpf.LinkCreateXdp(null!, 1));
        Assert.Throws<ArgumentNullException>(() => Bpf.LinkDetach(null!));
    }
}
