using System.Net;
using System.Net.Sockets;
using CpuMap.Managed.Syscalls.Netlink;
using CpuMap.Managed.Syscalls.Xdp;
using CpuMap.Managed.Testing;

namespace CpuMap.Managed.Cli.Tests;

/// <summary>
/// Two anonymous network namespaces joined by a veth pair made with the library's own netlink code:
/// <see cref="Device"/> (10.T.0.1/24) in <see cref="Host"/>, where the redirect is attached, and its
/// peer (10.T.0.2/24) in <see cref="Peer"/>, where the test's sockets send from. Traffic can only go
/// between the two; disposing closes both namespaces, which removes the pair.
/// </summary>
internal sealed class TestNetwork : IDisposable
{
    private static int _next;

    /// <param name="named">Name the device's namespace (under /run/netns, as the device is named) so another process can enter it.</param>
    public TestNetwork(bool named = false)
    {
        var n = Interlocked.Increment(ref _next);
        Device = NamePrefix + n;
        PeerDevice = Device + "p";
        var subnet = 100 + (Environment.ProcessId + n) % 100;
        DeviceAddress = IPAddress.Parse($"10.{subnet}.0.1");
        PeerAddress = IPAddress.Parse($"10.{subnet}.0.2");
        Host = named ? NetworkNamespace.Create(Device) : NetworkNamespace.CreateAnonymous();
        try
        {
            Peer = NetworkNamespace.CreateAnonymous();
            // No IPv6 neighbour discovery: the only frames on the pair are the ones the test sends (and ARP).
            foreach (var netns in new[] { Host, Peer })
                netns.Run(() => File.WriteAllText("/proc/sys/net/ipv6/conf/default/disable_ipv6", "1"));
            using (var rtnl = Host.OpenRtNetlink())
            {
                var index = rtnl.NewVeth(Device, PeerDevice, Peer);
                rtnl.NewAddr(index, DeviceAddress, 24);
                rtnl.SetLinkUp(index);
                rtnl.SetLinkUp(rtnl.GetLink("lo").Index);
            }
            using (var rtnl = Peer.OpenRtNetlink())
            {
                var index = rtnl.GetLink(PeerDevice).Index;
                rtnl.NewAddr(index, PeerAddress, 24);
                rtnl.SetLinkUp(index);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>
    /// Waits until nothing is attached to <see cref="Device"/> after its XDP link's last fd was closed (a disposed
    /// redirect, an exited attach process). The kernel releases a link when its last reference goes, and a parallel test
    /// process walking every link by id holds one for a moment, so "closed" is not "detached" at once.
    /// </summary>
    public void WaitUntilDetached() =>
        Eventually.True(() => !XdpAttachment.Query(Device, Host).IsAttached, $"the kernel to release the XDP link on {Device}");

    /// <summary>What every device and named namespace of this test process starts with: no other process's names do.</summary>
    public static string NamePrefix { get; } = $"cmc{Environment.ProcessId % 100000}x";

    public string Device { get; }

    public string PeerDevice { get; }

    public IPAddress DeviceAddress { get; }

    public IPAddress PeerAddress { get; }

    public NetworkNamespace Host { get; }

    public NetworkNamespace Peer { get; } = null!;

    /// <summary>A socket of <paramref name="type"/> created inside <paramref name="netns"/> (it stays there).</summary>
    public static Socket SocketIn(NetworkNamespace netns, SocketType type, ProtocolType protocol)
        => netns.Run(() => new Socket(AddressFamily.InterNetwork, type, protocol));

    /// <summary>Sends <paramref name="count"/> UDP datagrams from the peer's <paramref name="sourcePort"/> to the device's address.</summary>
    public void SendUdp(ushort sourcePort, int count, ushort destinationPort = 9)
    {
        using var socket = SocketIn(Peer, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(PeerAddress, sourcePort));
        var payload = new byte[18];
        for (var i = 0; i < count; i++)
            socket.SendTo(payload, new IPEndPoint(DeviceAddress, destinationPort));
    }

    public void Dispose()
    {
        Peer?.Dispose();
        Host.Dispose();
    }
}
