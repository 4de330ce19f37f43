using CpuMap.Managed.Loader;
using CpuMap.Managed.Syscalls;
using CpuMap.Managed.Syscalls.Netlink;
using CpuMap.Managed.Syscalls.Xdp;

namespace CpuMap.Managed.Programs.Tests;

/// <summary>
/// An anonymous namespace with two veth pairs, in0/in1 (frames come in on in0) and out0/out1 (frames leave by out0), and an
/// XDP program on out1 that counts what arrives and drops it. IPv6 is off, so the only frames on out0 are the redirected ones.
/// Disposing closes the namespace, which takes both pairs with it.
/// </summary>
internal sealed class TwoVethPairs : IDisposable
{
    public const string In = "in0", InPeer = "in1", Out = "out0", OutPeer = "out1";
    private readonly MapFd _arrived;
    private readonly ProgFd _counter;
    private readonly XdpAttachment _attachment;

    public TwoVethPairs()
    {
        Netns = NetworkNamespace.CreateAnonymous();
        Netns.Run(() =>
        {
            File.WriteAllText("/proc/sys/net/ipv6/conf/default/disable_ipv6", "1");
            File.WriteAllText("/proc/sys/net/ipv6/conf/all/disable_ipv6", "1");
        });
        using (var rtnl = Netns.OpenRtNetlink())
        {
            InIndex = rtnl.NewVeth(In, InPeer);
            OutIndex = rtnl.NewVeth(Out, OutPeer);
            foreach (var name in new[] { In, InPeer, Out, OutPeer })
                rtnl.SetLinkUp(rtnl.GetLink(name).Index);
        }
        _arrived = Bpf.MapCreate(BpfMapType.PercpuArray, sizeof(uint), sizeof(ulong), 1, name: "peer_arrived");
        _counter = DslProgramLoader.Load(RemoteCpuCountProgram.Build(XdpAction.Drop, "peer_count", "peer_arrived"), "peer_count", [_arrived]);
        _attachment = XdpAttachment.Attach(OutPeer, _counter, XdpMode.Native, XdpAttachMethod.Auto, Netns);
    }

    public NetworkNamespace Netns { get; }

    public int InIndex { get; }

    public int OutIndex { get; }

    public ulong PeerCount() => RemoteDeviceRedirectTests.SumPerCpu(_arrived);

    public void Dispose()
    {
        _attachment.Dispose();
        _counter.Dispose();
        _arrived.Dispose();
        Netns.Dispose();
    }
}
