using CpuMap.Managed.Syscalls.Netlink;

namespace CpuMap.Managed.Syscalls.Tests;

/// <summary>
/// A veth pair, both ends up, inside a fresh anonymous network namespace made with the library's
/// own code; disposing closes the namespace, which takes the devices with it.
/// </summary>
internal sealed class XdpTestVeth : IDisposable
{
    public XdpTestVeth(string? namespaceName = null)
    {
        Name = NetlinkTestNames.Next();
        Namespace = namespaceName is null ? NetworkNamespace.CreateAnonymous() : NetworkNamespace.Create(namespaceName);
        try
        {
            Rtnl = Namespace.OpenRtNetlink();
            Ifindex = Rtnl.NewVeth(Name, Name + "p");
            PeerIfindex = Rtnl.GetLink(Name + "p").Index;
            Rtnl.SetLinkUp(Ifindex);
            Rtnl.SetLinkUp(PeerIfindex);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Name { get; }

    public NetworkNamespace Namespace { get; }

    /// <summary>rtnetlink inside <see cref="Namespace"/>.</summary>
    public RtNetlink Rtnl { get; } = null!;

    public int Ifindex { get; }

    public int PeerIfindex { get; }

    public XdpInfo Xdp => Rtnl.GetLinkXdp(Ifindex);

    public void Dispose()
    {
        Rtnl?.Dispose();
        Namespace.Dispose();
    }
}
