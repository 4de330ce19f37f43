using System.Net;
using System.Net.Sockets;
using CpuMap.Managed.Syscalls;
using CpuMap.Managed.Testing;
using CpuMap.Managed.Programs.Bytecode;
using CpuMap.Managed.Programs.Redirect;
using CpuMap.Managed.Programs.Remote;
using CpuMap.Managed.Programs.Traffic;

namespace CpuMap.Managed.Programs.Tests;

/// <summary>
/// xdp-bench's per-frame modes (l4-proto, l4-filter, l4-sport, l4-dport, no-touch, touch) in the real kernel: live frames
/// into a CPUMAP, counted where they land. The expected CPU is worked out here from how each frame was built, the mode's
/// rule and the configured list (<c>cpus[position % cpus.Length]</c>), over every CPU subset and order.
/// </summary>
public sealed class ModeRedirectTests
{
    private static readonly IPAddress V4A = IPAddress.Parse("192.0.2.10"), V4B = IPAddress.Parse("198.51.100.20");
    private static readonly IPAddress V6A = IPAddress.Parse("2001:db8::10"), V6B = IPAddress.Parse("2001:db8:ffff::20");
    private const ushort MoreFragments = 0x2000;

    /// <summary>Frames and their l4-proto position: TCP and others 0, UDP 1, ICMP and ICMPv6 2; not IP 0.</summary>
    public static TheoryData<string, byte[], int> ProtocolFrames => new()
    {
        { "TCP/IPv4", EthernetFrame.Ip(V4A, 40000, V4B, 443, ProtocolType.Tcp), 0 },
        { "UDP/IPv4", EthernetFrame.Ip(V4A, 40000, V4B, 53), 1 },
        { "ICMP/IPv4", EthernetFrame.Ip(V4A, 0, V4B, 0, ProtocolType.Icmp), 2 },
        { "GRE/IPv4", EthernetFrame.Ip(V4A, 0, V4B, 0, (ProtocolType)47), 0 },
        { "TCP/IPv6", EthernetFrame.Ip(V6A, 40000, V6B, 443, ProtocolType.Tcp), 0 },
        { "UDP/IPv6", EthernetFrame.Ip(V6A, 40000, V6B, 53), 1 },
        { "ICMPv6/IPv6", EthernetFrame.Ip(V6A, 0, V6B, 0, ProtocolType.IcmpV6), 2 },
        { "UDP/IPv4 in 802.1Q", EthernetFrame.Ip(V4A, 40000, V4B, 53, vlanTags: [VlanTag.Dot1Q(100)]), 1 },
        { "ICMPv6 in QinQ", EthernetFrame.Ip(V6A, 0, V6B, 0, ProtocolType.IcmpV6, vlanTags: [VlanTag.Dot1AD(10), VlanTag.Dot1Q(100)]), 2 },
        { "UDP/IPv4 fragment to port 9", EthernetFrame.Ip(V4A, 40000, V4B, 9, fragOff: MoreFragments), 1 },
        { "ARP", EthernetFrame.NonIp(), 0 },
        { "UDP in three VLAN tags", EthernetFrame.Ip(V4A, 1, V4B, 2, vlanTags: [VlanTag.Dot1AD(1), VlanTag.Dot1Q(2), VlanTag.Dot1Q(3)]), 0 },
    };

    public static TheoryData<string> Modes => new(ModeRedirect.Modes.Select(m => m.Name()));

    [Theory]
    [MemberData(nameof(Modes))]
    public void Passes_the_verifier_with_the_common_maps_and_counters(string name)
    {
        Kernel.RequireBpf();
        var mode = RssModes.Parse(name);
        using var redirect = ModeRedirect.Load(mode);

        Assert.Equal(BpfProgType.Xdp, redirect.Program.Type);
        Assert.Null(redirect.Program.LoadAttributes!.ExpectedAttachType);
        Assert.Equal(name, redirect.ToString());
        Assert.Equal(mode, redirect.Mode);
        Assert.Equal((uint)(CpuList.Possible[^1] + 1), redirect.CpuMap.MaxEntries);
        Assert.Equal((BpfMapType.PercpuArray, 40u), (redirect.Stats!.Type, redirect.Stats.ValueSize));
        Assert.Empty(redirect.Cpus);
        // Not configured: nr_cpus is 0, so every frame aborts, counted as an error.
        Assert.Equal(XdpAction.Aborted, Bpf.ProgTestRun(redirect.Program, EthernetFrame.Ip(V4A, 1, V4B, 53, ProtocolType.Tcp)).XdpAction);
        Assert.Equal(new RedirectCounters(1, 0, 1, 0), Sum(redirect.ReadStats()));
        Assert.IsType<ModeRedirect>(RssModeRedirects.Load(mode), exactMatch: true).Dispose();
    }

    [Theory]
    [MemberData(nameof(ProtocolFrames))]
    public void L4_proto_sends_each_protocol_to_its_position_modulo_the_cpu_count(string frameName, byte[] frame, int position)
    {
        Kernel.RequireBpf();
        foreach (var cpus in SubsetsInBothOrders())
        {
            using var landing = new Landing(RssMode.L4Proto, cpus);
            Assert.True(cpus[position % cpus.Length] == landing.Send(frame), $"{frameName} over CPUs [{string.Join(',', cpus)}]");
        }
    }

    [Theory]
    [MemberData(nameof(ProtocolFrames))]
    public void L4_filter_places_what_it_keeps_as_l4_proto_does(string frameName, byte[] frame, int position)
    {
        Kernel.RequireBpf();
        foreach (var cpus in SubsetsInBothOrders())
        {
            using var landing = new Landing(RssMode.L4Filter, cpus);
            Assert.True(cpus[position % cpus.Length] == landing.Send(frame), $"{frameName} over CPUs [{string.Join(',', cpus)}]");
        }
    }

    [Fact]
    public void L4_filter_drops_udp_to_port_9_over_ipv4_and_ipv6_and_nothing_else()
    {
        Kernel.RequireBpf();
        using var redirect = ModeRedirect.Load(RssMode.L4Filter);
        redirect.Configure(CpuList.Possible.ToArray());
        byte[][] dropped =
        [
            EthernetFrame.Ip(V4A, 40000, V4B, 9),
            EthernetFrame.Ip(V6A, 40000, V6B, 9),
            EthernetFrame.Ip(V4A, 9, V4B, 9, vlanTags: [VlanTag.Dot1Q(7)]),
            EthernetFrame.Ip(V6A, 40000, V6B, 9, vlanTags: [VlanTag.Dot1AD(1), VlanTag.Dot1Q(2)]),
        ];
        byte[][] kept =
        [
            EthernetFrame.Ip(V4A, 9, V4B, 53),                                      // port 9 as the source
            EthernetFrame.Ip(V4A, 40000, V4B, 9, ProtocolType.Tcp),                 // TCP to port 9
            EthernetFrame.Ip(V6A, 40000, V6B, 9, ProtocolType.Tcp),
            EthernetFrame.Ip(V4A, 40000, V4B, 2304),                                // 2304 = 0x0900: the port's bytes swapped
            EthernetFrame.Ip(V4A, 40000, V4B, 9, fragOff: MoreFragments),           // a fragment: no ports of its own
            EthernetFrame.Ip(V4A, 40000, V4B, 9, fragOff: 185),
        ];
        foreach (var frame in dropped)
            Assert.Equal(XdpAction.Drop, Bpf.ProgTestRun(redirect.Program, frame).XdpAction);
        foreach (var frame in kept)
            Assert.Equal(XdpAction.Redirect, Bpf.ProgTestRun(redirect.Program, frame).XdpAction);
        // The UDP header cut off before the destination port: nothing to filter on, so it is kept.
        var udp = EthernetFrame.Ip(V4A, 40000, V4B, 9);
        Assert.Equal(XdpAction.Redirect, Bpf.ProgTestRun(redirect.Program, udp.AsSpan(0, 14 + 20 + 3)).XdpAction);

        var total = Sum(redirect.ReadStats());
        var sent = (ulong)(dropped.Length + kept.Length + 1);
        Assert.Equal(new RedirectCounters(sent, sent - (ulong)dropped.Length, 0, 0, (ulong)dropped.Length), total);
    }

    [Fact]
    public void L4_filter_drops_live_frames_and_delivers_the_rest()
    {
        Kernel.RequireBpf();
        using var landing = new Landing(RssMode.L4Filter, CpuList.Possible.ToArray());
        LiveFrames.Send(landing.Redirect.Program, EthernetFrame.Ip(V4A, 40000, V4B, 9), 100);
        var kept = EthernetFrame.Ip(V4A, 40000, V4B, 53);
        Assert.Equal(landing.Redirect.Cpus[1 % landing.Redirect.Cpus.Count], landing.Send(kept, 20));
        Assert.Equal(20ul, landing.Counter.ReadTotal());
        Assert.Equal(new RedirectCounters(120, 20, 0, 0, 100), Sum(landing.Redirect.ReadStats()));
    }

    [Theory]
    [InlineData("l4-sport")]
    [InlineData("l4-dport")]
    public void L4_port_modes_send_each_port_to_the_port_modulo_the_cpu_count(string name)
    {
        Kernel.RequireBpf();
        var source = name == "l4-sport";
        ushort[] ports = [0, 1, 2, 3, 7, 9, 1023, 40001, 65535];
        foreach (var cpus in SubsetsInBothOrders())
        {
            using var landing = new Landing(RssModes.Parse(name), cpus);
            foreach (var port in ports)
            {
                // The other port differs from this one in every residue, so a program reading the wrong one is seen.
                var other = (ushort)(port + 1);
                var (sport, dport) = source ? (port, other) : (other, port);
                var expected = cpus[port % cpus.Length];
                foreach (var (shape, frame) in new[]
                {
                    ("UDP/IPv4", EthernetFrame.Ip(V4A, sport, V4B, dport)),
                    ("TCP/IPv4", EthernetFrame.Ip(V4A, sport, V4B, dport, ProtocolType.Tcp)),
                    ("UDP/IPv6 in 802.1Q", EthernetFrame.Ip(V6A, sport, V6B, dport, vlanTags: [VlanTag.Dot1Q(3)])),
                    ("TCP/IPv6", EthernetFrame.Ip(V6A, sport, V6B, dport, ProtocolType.Tcp)),
                })
                    Assert.True(expected == landing.Send(frame, 4), $"{name}: {shape} {sport}->{dport} over CPUs [{string.Join(',', cpus)}] should land on {expected}");
            }
            // No ports: position 0.
            Assert.Equal(cpus[0], landing.Send(EthernetFrame.Ip(V4A, 0, V4B, 0, ProtocolType.Icmp), 4));
            Assert.Equal(cpus[0], landing.Send(EthernetFrame.Ip(V4A, 40001, V4B, 40001, fragOff: 185), 4));
            Assert.Equal(cpus[0], landing.Send(EthernetFrame.NonIp(), 4));
        }
    }

    [Fact]
    public void Port_modes_skip_ipv4_options_to_find_the_ports()
    {
        Kernel.RequireBpf();
        var cpus = CpuList.Possible.ToArray();
        using var landing = new Landing(RssMode.L4Dport, cpus);
        for (ushort port = 1; port <= 4; port++)
        {
            // IHL 6: a 4-byte option (four NOPs) before the UDP header; the ports move by 4 bytes.
            var plain = EthernetFrame.Ip(V4A, 7, V4B, port);
            var withOption = new byte[plain.Length + 4];
            plain.AsSpan(0, 14 + 20).CopyTo(withOption);
            withOption[14] = 0x46;
            withOption.AsSpan(34, 4).Fill(1);
            plain.AsSpan(34).CopyTo(withOption.AsSpan(38));
            Assert.Equal(cpus[port % cpus.Length], landing.Send(withOption, 4));
        }
    }

    [Theory]
    [InlineData("no-touch")]
    [InlineData("touch")]
    public void First_cpu_modes_send_every_frame_to_the_first_listed_cpu(string name)
    {
        Kernel.RequireBpf();
        foreach (var cpus in SubsetsInBothOrders())
        {
            using var landing = new Landing(RssModes.Parse(name), cpus);
            foreach (var frame in ProtocolFrames.Select(row => (byte[])row.Data.Item2))
                Assert.Equal(cpus[0], landing.Send(frame, 4));
            var stats = Sum(landing.Redirect.ReadStats());
            Assert.Equal(stats.Received, stats.Redirected);
        }
    }

    [Fact]
    public void Touch_drops_802_3_frames_and_no_touch_does_not_look()
    {
        Kernel.RequireBpf();
        var frame = EthernetFrame.Udp();
        frame[12] = 0x00;
        frame[13] = 0x2E;                               // an 802.3 length (46), not an EtherType
        using var touch = ModeRedirect.Load(RssMode.Touch);
        using var noTouch = ModeRedirect.Load(RssMode.NoTouch);
        touch.Configure(CpuList.Possible.ToArray());
        noTouch.Configure(CpuList.Possible.ToArray());

        Assert.Equal(XdpAction.Drop, Bpf.ProgTestRun(touch.Program, frame).XdpAction);
        Assert.Equal(XdpAction.Redirect, Bpf.ProgTestRun(noTouch.Program, frame).XdpAction);
        frame[12] = 0x06;
        frame[13] = 0x00;                               // 0x0600: the smallest EtherType
        Assert.Equal(XdpAction.Redirect, Bpf.ProgTestRun(touch.Program, frame).XdpAction);
        Assert.Equal(new RedirectCounters(2, 1, 0, 0, 1), Sum(touch.ReadStats()));
        Assert.Equal(new RedirectCounters(1, 1, 0, 0, 0), Sum(noTouch.ReadStats()));
    }

    [Theory]
    [InlineData("l4-proto")]
    [InlineData("l4-filter")]
    [InlineData("l4-sport")]
    [InlineData("l4-dport")]
    public void Truncated_frames_go_to_the_first_cpu_and_never_abort(string name)
    {
        Kernel.RequireBpf();
        using var redirect = ModeRedirect.Load(RssModes.Parse(name));
        redirect.Configure(CpuList.Possible.ToArray());
        foreach (var frame in new[] { EthernetFrame.Ip(V4A, 40000, V4B, 53), EthernetFrame.Ip(V6A, 40000, V6B, 53, ProtocolType.Tcp, vlanTags: [VlanTag.Dot1Q(1)]) })
            for (var length = 14; length < frame.Length; length++)
            {
                var before = Sum(redirect.ReadStats());
                Assert.Equal(XdpAction.Redirect, Bpf.ProgTestRun(redirect.Program, frame.AsSpan(0, length)).XdpAction);
                var counted = Sum(redirect.ReadStats()) - before;
                Assert.True(counted.Received == 1 && counted.Redirected == 1, $"{name}, cut to {length} of {frame.Length} bytes: counted {counted}");
            }
    }

    [Fact]
    public void Bad_modes_are_refused_with_the_fix()
    {
        var roundRobin = Assert.Throws<ArgumentOutOfRangeException>(() => ModeRedirect.Load(RssMode.RoundRobin));
        Assert.Equal("mode", roundRobin.ParamName);
        Assert.Contains("load round-robin with RoundRobinRedirect.Load", roundRobin.Message);
        Assert.Contains("load flow-hash with FlowHashRedirect.Load", Assert.Throws<ArgumentOutOfRangeException>(() => ModeRedirect.Load(RssMode.FlowHash)).Message);
        Assert.Contains("is not an L4 mode", Assert.Throws<ArgumentOutOfRangeException>(() => L4Program.Build(RssMode.Touch)).Message);
        Assert.Contains("Not a redirect mode", Assert.Throws<ArgumentOutOfRangeException>(() => ((RssMode)99).Name()).Message);
        var unknown = Assert.Throws<ArgumentException>(() => RssModes.Parse("l4-hash"));
        Assert.Contains("'l4-hash' is not a redirect mode", unknown.Message);
        Assert.Contains("l4-sport or l4-dport", unknown.Message);
        foreach (var mode in Enum.GetValues<RssMode>())
            Assert.Equal(mode, RssModes.Parse(mode.Name()));
    }

    /// <summary>Each subset of <see cref="TestCpus.Subsets"/>, and reversed: "the first CPU" is the first listed, not the lowest.</summary>
    private static IEnumerable<int[]> SubsetsInBothOrders()
    {
        foreach (var cpus in TestCpus.Subsets())
        {
            yield return cpus;
            if (cpus.Length > 1)
                yield return cpus.Reverse().ToArray();
        }
    }

    private static RedirectCounters Sum(IEnumerable<RedirectCounters> perCpu) => perCpu.Aggregate(default(RedirectCounters), (a, b) => a + b);

    /// <summary>A mode's redirect over <c>cpus</c> with a counting remote program: where do frames land?</summary>
    private sealed class Landing : IDisposable
    {
        public Landing(RssMode mode, int[] cpus)
        {
            Counter = RemoteCpuCounter.Load();
            Redirect = ModeRedirect.Load(mode);
            Redirect.Configure(cpus, CpuRedirect.DefaultQsize, Counter.Program);
        }

        public RemoteCpuCounter Counter { get; }

        public ModeRedirect Redirect { get; }

        public int Send(byte[] frame, uint copies = 8) => Arrivals.LandingCpu(Redirect.Program, Counter, frame, copies);

        public void Dispose()
        {
            Redirect.Dispose();
            Counter.Dispose();
        }
    }
}
