using System.Net;
using System.Net.Sockets;
using CpuMap.Managed.Programs;
using CpuMap.Managed.Syscalls;
using CpuMap.Managed.Syscalls.Xdp;
using CpuMap.Managed.Testing;
using CpuMap.Managed.Programs.Redirect;
using CpuMap.Managed.Programs.Remote;

namespace CpuMap.Managed.Cli.Tests;

/// <summary>
/// The redirect attached to a veth in a test-made namespace, with real UDP and TCP packets sent by
/// sockets in the peer's namespace to the addresses the test gave the pair (nowhere else).
/// </summary>
public sealed class AttachTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Drain = TimeSpan.FromSeconds(2);

    [Fact]
    public void Round_robin_splits_real_udp_packets_evenly()
    {
        Kernel.RequireBpf();
        var cpus = TwoCpus();
        using var network = new TestNetwork();
        using var rss = SoftwareRss.Load(new SoftwareRssOptions { Cpus = cpus, Qsize = 4096 });
        rss.Attach(network.Device, XdpMode.Native, network.Host);
        var start = rss.ReadCounters();
        network.SendUdp(40000, 1); // ARP resolves with the first packet: the rest is UDP only
        var before = WaitForDelivery(rss, start);

        const int packets = 400;
        network.SendUdp(40001, packets);
        var interval = WaitForDelivery(rss, before, packets).Since(before);

        var delivered = cpus.Select(cpu => interval.Delivered![cpu]).ToArray();
        output.WriteLine($"delivered per CPU: {string.Join(", ", cpus.Zip(delivered, (c, d) => $"CPU {c}: {d}"))}");
        var redirected = interval.Redirect.Aggregate(0ul, (s, c) => s + c.Redirected);
        // The peer may confirm its ARP entry with a unicast probe meanwhile: at most a couple of frames more.
        var extra = (int)(redirected - packets);
        Assert.InRange(extra, 0, 2);
        Assert.Equal(redirected, delivered.Aggregate(0ul, (a, b) => a + b));
        // Each CPU that ran the program keeps its own position: a softirq that moves CPU can leave each share off by one.
        var n = CpuList.Possible.Count;
        Assert.All(delivered, d => Assert.InRange(d, (ulong)(packets / 2 - n), (ulong)(packets / 2 + n + extra)));
    }

    [Fact]
    public void Flow_hash_keeps_each_udp_flow_on_one_cpu_and_spreads_many_flows()
    {
        Kernel.RequireBpf();
        var cpus = TwoCpus();
        using var network = new TestNetwork();
        using var rss = SoftwareRss.Load(new SoftwareRssOptions { Mode = RssMode.FlowHash, Cpus = cpus, Qsize = 4096 });
        rss.Attach(network.Device, XdpMode.Native, network.Host);
        var start = rss.ReadCounters();
        network.SendUdp(40000, 1);
        var previous = WaitForDelivery(rss, start);

        var landedOn = new HashSet<int>();
        for (ushort port = 41000; port < 41032; port++)
        {
            network.SendUdp(port, 20);
            var now = WaitForDelivery(rss, previous, 20);
            var interval = now.Since(previous);
            previous = now;
            var cpusHit = cpus.Where(cpu => interval.Delivered![cpu] > 0).ToArray();
            Assert.True(cpusHit.Length == 1, $"flow from port {port} arrived on CPUs {string.Join(',', cpusHit)}: one flow must stay on one CPU");
            Assert.Equal(20ul, interval.Delivered![cpusHit[0]]);
            landedOn.Add(cpusHit[0]);
        }
        // 32 flows all on one of two CPUs would happen with odds of 2^-31 for a working hash.
        Assert.Equal(cpus.Order(), landedOn.Order());
    }

    [Fact]
    public async Task A_tcp_connection_works_through_the_redirect_and_is_counted()
    {
        Kernel.RequireBpf();
        using var network = new TestNetwork();
        using var rss = SoftwareRss.Load(new SoftwareRssOptions { Mode = RssMode.FlowHash, Remote = RemoteAction.Pass });
        // Generic XDP: a veth peer's stack leaves TCP checksums to "hardware" (CHECKSUM_PARTIAL); native XDP
        // turns the skb into a bare frame and the remote CPU's new skb would fail the checksum. Generic XDP
        // redirects the skb itself, as a real NIC's frames (with their checksums filled in) would go.
        rss.Attach(network.Device, XdpMode.Skb, network.Host);
        var before = rss.ReadCounters();

        using var listener = TestNetwork.SocketIn(network.Host, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(network.DeviceAddress, 0));
        listener.Listen();
        using var client = TestNetwork.SocketIn(network.Peer, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        var accept = listener.AcceptAsync(timeout.Token);
        await client.ConnectAsync(listener.LocalEndPoint!, timeout.Token);
        using var server = await accept;
        var message = new byte[1000];
        Random.Shared.NextBytes(message);
        await client.SendAsync(message, timeout.Token);
        var received = new byte[message.Length];
        var got = 0;
        while (got < received.Length)
            got += await server.ReceiveAsync(received.AsMemory(got), timeout.Token);

        Assert.Equal(message, received);
        var interval = WaitForDelivery(rss, before).Since(before);
        var redirected = (ulong)interval.Redirect.Sum(c => (long)c.Redirected);
        // SYN, ACK, data (and the ARP request): every one went through a remote CPU before the stack saw it.
        Assert.True(redirected >= 3, $"only {redirected} frames redirected");
        Assert.Equal(redirected, interval.Delivered!.Aggregate(0ul, (a, b) => a + b));
    }

    [Fact]
    public void Without_pins_the_redirect_goes_with_its_owner()
    {
        Kernel.RequireBpf();
        using var network = new TestNetwork();
        var rss = SoftwareRss.Load(new SoftwareRssOptions());
        var attachment = rss.Attach(network.Device, XdpMode.Skb, network.Host);
        Assert.Equal(XdpAttachMethod.Link, attachment.Method);
        Assert.Equal(attachment.ProgId, XdpAttachment.Query(network.Device, network.Host).ProgId);

        rss.Dispose();
        network.WaitUntilDetached();
    }

    private static int[] TwoCpus()
    {
        if (CpuList.Possible.Count < 2)
            Kernel.Unavailable($"the test needs two possible CPUs to spread over; this machine has {CpuList.Possible}");
        return [CpuList.Possible[0], CpuList.Possible[1]];
    }

    /// <summary>Waits until every frame redirected since <paramref name="since"/> was delivered, and returns the counters then.</summary>
    /// <summary>
    /// Waits until at least <paramref name="atLeast"/> frames went through the redirect since
    /// <paramref name="since"/> and every one of them was delivered, and then until nothing more arrives for
    /// a moment: a datagram can wait for ARP, or reach XDP after send() returned, so an interval is only
    /// closed once the link is quiet (else its frames would count in the next one).
    /// </summary>
    private static RedirectSnapshot WaitForDelivery(SoftwareRss rss, RedirectSnapshot since, ulong atLeast = 1)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var now = rss.ReadCounters();
            var interval = now.Since(since);
            var redirected = interval.Redirect.Aggregate(0ul, (s, c) => s + c.Redirected);
            var delivered = interval.Delivered!.Aggregate(0ul, (s, d) => s + d);
            if (clock.Elapsed > Drain)
                return now;
            if (redirected >= atLeast && delivered >= redirected)
            {
                Thread.Sleep(Quiet);
                var later = rss.ReadCounters();
                if (later.RedirectTotal.Received == now.RedirectTotal.Received && later.DeliveredTotal == now.DeliveredTotal)
                    return later;
            }
            Thread.Sleep(1);
        }
    }

    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(50);
}
