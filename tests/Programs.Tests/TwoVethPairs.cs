using CpuMap.Managed.Syscalls.Netlink;

namespace CpuMap.Managed.Programs.Tests;

/// <summary>
/// An anonymous namespace with two veth pairs, in0/in1 (frames come in on in0) and out0/out1 (frames leave by out0): the
/// out pair is the demo's redirect target (<see cref="DemoRedirectTarget"/>: a program on out1 counts what arrives and
/// drops it, and IPv6 is off, so the only frames on out0 are the redirected ones). Disposing closes the namespace, which
/// takes both pairs with it.
/// </summary>
internal sealed class TwoVethPairs : IDisposable
{
    public const string In = "in0", InPeer = "in1", Out = "out0", OutPeer = "out1";
    private readonly DemoRedirectTarget _target;

    public TwoVethPairs()
    {
        Netns = NetworkNamespace.CreateAnonymous();
        // The target first: it turns IPv6 off in the namespace, for the in pair too.
        _target = DemoRedirectTarget.Create(Netns, Out, OutPeer);
        using var rtnl = Netns.OpenRtNetlink();
        InIndex = rtnl.NewVeth(In, InPeer);
        rtnl.SetLinkUp(InIndex);
        rtnl.SetLinkUp(rtnl.GetLink(InPeer).Index);
        OutIndex = rtnl.GetLink(Out).Index;
    }

    public NetworkNamespace Netns { get; }

    public int InIndex { get; }

    public int OutIndex { get; }

    public ulong PeerCount() => _target.ReadArrived();

    public void Dispose()
    {
        _target.Dispose();
        Netns.Dispose();
    }
}
