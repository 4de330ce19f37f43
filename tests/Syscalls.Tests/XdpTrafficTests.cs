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

        Assert.True(Delivered(sender, receiver, target, phase: 1, TimeSpan.FromSeconds(3)), "no frame arrived before any program was attached");
        using var drop = LoadXdp(XdpAction.Drop);
        using (XdpAttachment.Attach(receiverIndex, drop, mode, netns: receiverNs))
            Assert.False(Delivered(sender, receiver, target, phase: 2, TimeSpan.FromMilliseconds(300)), "a frame got past XDP_DROP");
        Assert.True(Delivered(sender, receiver, target, phase: 3, TimeSpan.FromSeconds(3)), "no frame arrived after the program was detached");
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
