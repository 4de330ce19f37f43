using System.Net;
using System.Net.Sockets;
using CpuMap.Managed.Syscalls.Netlink;
using CpuMap.Managed.Syscalls.Xdp;
using CpuMap.Managed.Testing;
using static CpuMap.Managed.Syscalls.Tests.TestPrograms;

namespace CpuMap.Managed.Syscalls.Tests;

/// <summary>
/// Real UDP over a veth pair whose ends sit in two namespaces made by the library: proves the
/// devices, addresses and attachments are what the kernel uses. No traffic leaves the pair.
/// </summary>
public class XdpTrafficTests
{
    [Theory]
    [InlineData(XdpMode.Native)]
    [InlineData(XdpMode.Skb)]
    public void An_attached_drop_program_stops_frames_until_it_is_detached(XdpMode mode)
    {
        Kernel.RequireBpf();
        using var receiverNs = NetworkNamespace.CreateAnonymous();
        using var senderNs = NetworkNamespace.CreateAnonymous();
        using var receiverRtnl = receiverNs.OpenRtNetlink();
        using var senderRtnl = senderNs.OpenRtNetlink();
        var name = NetlinkTestNames.Next();
        var receiverIndex = receiverRtnl.NewVeth(name, name + "p", peerNamespace: senderNs);
        var senderIndex = senderRtnl.GetLink(name + "p").Index;
        receiverRtnl.NewAddr(receiverIndex, IPAddress.Parse("10.231.9.1"), 24);
        senderRtnl.NewAddr(senderIndex, IPAddress.Parse("10.231.9.2"), 24);
        receiverRtnl.SetLinkUp(receiverIndex);
        senderRtnl.SetLinkUp(senderIndex);

        using var receiver = receiverNs.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
        using var sender = senderNs.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
        receiver.Bind(new IPEndPoint(IPAddress.Parse("10.231.9.1"), 0));
        var target = receiver.LocalEndPoint!;

        Assert.True(Delivered(sender, receiver, target, phase: 1, Eventually.Deadline), "no frame arrived before any program was attached");
        // The drop program counts every frame it sees, so "nothing got through" is judged on frames the
        // program is known to have dropped, not on a quiet window: a datagram sent while it is attached
        // either reaches the program (and is counted and dropped) or never reaches the receiver at all.
        using var counter = Bpf.MapCreate(BpfMapType.Array, 4, 8, 1);
        using var drop = Bpf.ProgLoad(BpfProgType.Xdp, CountAndDrop(counter));
        const int datagrams = 5;
        using (XdpAttachment.Attach(receiverIndex, drop, mode, netns: receiverNs))
        {
            for (var sent = 1; sent <= datagrams; sent++)
            {
                sender.SendTo([2], target);
                var expected = (ulong)sent;
                Eventually.True(() => Bpf.MapLookupElem(counter, 0u, out ulong seen) && seen >= expected,
                    $"the attached program ({mode}) to count datagram {sent} of {datagrams}");
            }
            Assert.False(Received(receiver, phase: 2), "a datagram got past XDP_DROP although the program counted it");
        }
        Assert.True(Delivered(sender, receiver, target, phase: 3, Eventually.Deadline), "no frame arrived after the program was detached");
    }

    /// <summary>Whether a datagram holding <paramref name="phase"/> is queued on the socket now, without waiting.</summary>
    private static bool Received(Socket receiver, byte phase)
    {
        var buffer = new byte[16];
        var found = false;
        while (receiver.Poll(0, SelectMode.SelectRead))
            found |= receiver.Receive(buffer) == 1 && buffer[0] == phase;
        return found;
    }

    /// <summary>
    /// Sends one-byte datagrams holding <paramref name="phase"/> until one of them arrives or
    /// <paramref name="timeout"/> passes; late datagrams of earlier phases (held back by ARP) are ignored.
    /// </summary>
    private static bool Delivered(Socket sender, Socket receiver, EndPoint target, byte phase, TimeSpan timeout)
    {
        var buffer = new byte[16];
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            sender.SendTo([phase], target);
            while (receiver.Poll(50_000, SelectMode.SelectRead))
            {
                if (receiver.Receive(buffer) == 1 && buffer[0] == phase)
                    return true;
            }
        }
        return false;
    }
}
