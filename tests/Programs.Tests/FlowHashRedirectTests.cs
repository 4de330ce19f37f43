using System.Net;
using System.Net.Sockets;
using CpuMap.Managed.Syscalls;
using CpuMap.Managed.Testing;
using CpuMap.Managed.Programs.Redirect;
using CpuMap.Managed.Programs.Traffic;

namespace CpuMap.Managed.Programs.Tests;

/// <summary>The flow-hash (software RSS) redirect in the real kernel: live frames into a CPUMAP, counted where they land.</summary>
public sealed class FlowHashRedirectTests
{
    private static readonly IPAddress V4A = IPAddress.Parse("192.0.2.10"), V4B = IPAddress.Parse("198.51.100.20");
    private static readonly IPAddress V6A = IPAddress.Parse("2001:db8::10"), V6B = IPAddress.Parse("2001:db8:ffff::20");

    /// <summary>One flow in the shapes the program parses: TCP and UDP, IPv4 and IPv6, with 0, 1 and 2 VLAN tags.</summary>
    public static TheoryData<string, byte[]> Flows => new()
    {
        { "UDP/IPv4", EthernetFrame.Ip(V4A, 40000, V4B, 53) },
        { "TCP/IPv4", EthernetFrame.Ip(V4A, 40000, V4B, 443, ProtocolType.Tcp) },
        { "UDP/IPv6", EthernetFrame.Ip(V6A, 40000, V6B, 53) },
        { "TCP/IPv6", EthernetFrame.Ip(V6A, 40000, V6B, 443, ProtocolType.Tcp) },
        { "TCP/IPv4 in 802.1Q", EthernetFrame.Ip(V4A, 40000, V4B, 443, ProtocolType.Tcp, vlanTags: [VlanTag.Dot1Q(100)]) },
        { "UDP/IPv6 in QinQ", EthernetFrame.Ip(V6A, 40000, V6B, 53, vlanTags: [VlanTag.Dot1AD(10), VlanTag.Dot1Q(100)]) },
        { "ICMP/IPv4", EthernetFrame.Ip(V4A, 0, V4B, 0, ProtocolType.Icmp) },
        { "IPv4 fragment", EthernetFrame.Ip(V4A, 40000, V4B, 53, fragOff: 0x2000 | 185) },
    };

    [Fact]
    public void Passes_the_verifier_with_its_maps()
    {
        Kernel.RequireBpf();
        using var redirect = FlowHashRedirect.Load();

        Assert.Equal(BpfProgType.Xdp, redirect.Program.Type);
        Assert.Null(redirect.Program.LoadAttributes!.ExpectedAttachType);
        Assert.Equal((uint)(CpuList.Possible[^1] + 1), redirect.CpuMap.MaxEntries);
        Assert.Equal((BpfMapType.Array, 1u), (redirect.NonIpCpuMap.Type, redirect.NonIpCpuMap.MaxEntries));
        Assert.Equal((BpfMapType.PercpuArray, 40u), (redirect.Stats!.Type, redirect.Stats.ValueSize));
        Assert.Equal(RedirectStats.MapName, redirect.Stats.Name);
        Assert.False(redirect.Symmetric);
        Assert.Equal("flow-hash", redirect.ToString());
        Assert.Null(redirect.NonIpCpu);
        Assert.Empty(redirect.Cpus);
        using var symmetric = FlowHashRedirect.Load(symmetric: true);
        Assert.True(symmetric.Symmetric);
        Assert.True(symmetric.Instructions!.SlotCount > redirect.Instructions!.SlotCount);
    }

    [Fact]
    public void Unconfigured_program_aborts_every_frame_and_counts_them_as_errors()
    {
        Kernel.RequireBpf();
        using var redirect = FlowHashRedirect.Load();
        foreach (var frame in new[] { EthernetFrame.Udp(), EthernetFrame.NonIp() })
            Assert.Equal(XdpAction.Aborted, Bpf.ProgTestRun(redirect.Program, frame).XdpAction);

        var total = redirect.ReadStats().Aggregate(default(RedirectCounters), (a, b) => a + b);
        Assert.Equal(new RedirectCounters(Received: 2, Redirected: 0, Errors: 2, NonIp: 1), total);
    }

    [Theory]
    [MemberData(nameof(Flows))]
    public void Every_frame_of_a_flow_lands_on_one_cpu(string flow, byte[] frame)
    {
        Kernel.RequireBpf();
        using var landing = new FlowLanding();
        var first = landing.Send(frame);
        for (var round = 0; round < 3; round++)
            Assert.True(first == landing.Send(frame), $"{flow}: round {round} landed elsewhere than the first");
        Assert.Contains(first, CpuList.Possible);
    }

    [Fact]
    public void Vlan_tags_do_not_move_a_flow()
    {
        Kernel.RequireBpf();
        TestCpus.TwoCpus();
        using var landing = new FlowLanding();
        for (ushort port = 1000; port < 1008; port++)
        {
            var untagged = landing.Send(EthernetFrame.Ip(V6A, port, V6B, 80, ProtocolType.Tcp), 4);
            Assert.Equal(untagged, landing.Send(EthernetFrame.Ip(V6A, port, V6B, 80, ProtocolType.Tcp, vlanTags: [VlanTag.Dot1Q(7)]), 4));
            Assert.Equal(untagged, landing.Send(EthernetFrame.Ip(V6A, port, V6B, 80, ProtocolType.Tcp, vlanTags: [VlanTag.Dot1AD(1), VlanTag.Dot1Q(7)]), 4));
        }
    }

    [Fact]
    public void All_fragments_of_a_datagram_land_together_whatever_follows_the_ip_header()
    {
        Kernel.RequireBpf();
        TestCpus.TwoCpus();
        using var landing = new FlowLanding();
        var cpus = new HashSet<int>();
        for (ushort port = 5000; port < 5008; port++)
        {
            // The first fragment (MF, offset 0) carries the ports; later ones carry payload where ports would be.
            var first = landing.Send(EthernetFrame.Ip(V4A, port, V4B, 53, fragOff: 0x2000), 2);
            Assert.Equal(first, landing.Send(EthernetFrame.Ip(V4A, 1, V4B, 2, fragOff: 185), 2));
            Assert.Equal(first, landing.Send(EthernetFrame.Ip(V4A, 7, V4B, 7, fragOff: 370), 2));
            cpus.Add(first);
        }
        Assert.Single(cpus);
    }

    public static TheoryData<int[], bool, ProtocolType> CpuSetsAndFlowShapes()
    {
        var data = new TheoryData<int[], bool, ProtocolType>();
        foreach (var cpus in TestCpus.Subsets())
        {
            data.Add(cpus, false, ProtocolType.Udp);
            data.Add(cpus, true, ProtocolType.Tcp);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(CpuSetsAndFlowShapes))]
    public void Many_flows_spread_over_every_configured_cpu(int[] cpus, bool ipv6, ProtocolType protocol)
    {
        Kernel.RequireBpf();
        // Each CPU must get at least half its fair share. With a fair hash a CPU's flows follow
        // Binomial(flows, 1/cpus); the plan picks the flows so that any CPU falls short with
        // probability below 1e-6 (on 2 CPUs: 88 flows, at least 22 each).
        var plan = FlowBound.FairShare(cpus.Length, 0.5);
        Assert.True(plan.Flows <= ushort.MaxValue - 1024, $"{plan}: more flows than source ports");
        using var landing = new FlowLanding(cpus: cpus);
        var perCpu = new Dictionary<int, int>();
        for (var i = 0; i < plan.Flows; i++)
        {
            var (a, b) = ipv6 ? (V6A, V6B) : (V4A, V4B);
            var cpu = landing.Send(EthernetFrame.Ip(a, (ushort)(1024 + i), b, 443, protocol), 2);
            perCpu[cpu] = perCpu.GetValueOrDefault(cpu) + 1;
        }
        var shown = $"[{string.Join(", ", perCpu.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}: {kv.Value}"))}]";
        Assert.True(perCpu.Keys.All(cpus.Contains), $"flows landed outside the configured CPUs [{string.Join(", ", cpus)}]: {shown}");
        foreach (var cpu in cpus)
            Assert.True(perCpu.GetValueOrDefault(cpu) >= plan.MinPerCpu, $"CPU {cpu} got {perCpu.GetValueOrDefault(cpu)}; {plan}: {shown}");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Symmetric_hashing_lands_both_directions_together(bool ipv6)
    {
        Kernel.RequireBpf();
        TestCpus.TwoCpus();
        using var symmetric = new FlowLanding(symmetric: true);
        using var plain = new FlowLanding(symmetric: false);
        var (a, b) = ipv6 ? (V6A, V6B) : (V4A, V4B);
        var plainSplits = 0;
        for (var i = 0; i < 16; i++)
        {
            var port = (ushort)(20000 + i * 13);
            var forward = EthernetFrame.Ip(a, port, b, 443, ProtocolType.Tcp);
            var reply = EthernetFrame.Ip(b, 443, a, port, ProtocolType.Tcp);
            Assert.Equal(symmetric.Send(forward, 2), symmetric.Send(reply, 2));
            if (plain.Send(forward, 2) != plain.Send(reply, 2))
                plainSplits++;
        }
        // Without the option the directions are two unrelated flows: all 16 together would be a 1 in 2^16 chance.
        Assert.True(plainSplits > 0, "without symmetric hashing, both directions of all 16 connections landed together");
    }

    [Fact]
    public void Symmetric_hashing_orders_ports_when_both_addresses_are_the_same()
    {
        Kernel.RequireBpf();
        TestCpus.TwoCpus();
        using var symmetric = new FlowLanding(symmetric: true);
        for (var i = 0; i < 8; i++)
        {
            var port = (ushort)(30000 + i);
            Assert.Equal(symmetric.Send(EthernetFrame.Ip(V4A, port, V4A, 8080), 2), symmetric.Send(EthernetFrame.Ip(V4A, 8080, V4A, port), 2));
        }
    }

    [Fact]
    public void Non_ip_frames_go_to_the_configured_non_ip_cpu()
    {
        Kernel.RequireBpf();
        foreach (var nonIpCpu in TestCpus.TwoCpus())
        {
            using var landing = new FlowLanding(nonIpCpu: nonIpCpu);
            Assert.Equal(nonIpCpu, landing.Redirect.NonIpCpu);
            Assert.Equal(nonIpCpu, landing.Send(EthernetFrame.NonIp()));
            Assert.Equal(nonIpCpu, landing.Send(EthernetFrame.NonIp(0x88CC, [VlanTag.Dot1Q(5)])));   // LLDP in a VLAN
            // Three VLAN tags: the program looks into two.
            Assert.Equal(nonIpCpu, landing.Send(EthernetFrame.Ip(V4A, 1, V4B, 2, vlanTags: [VlanTag.Dot1AD(1), VlanTag.Dot1Q(2), VlanTag.Dot1Q(3)])));
            var stats = landing.Redirect.ReadStats().Aggregate(default(RedirectCounters), (a, b) => a + b);
            Assert.Equal(new RedirectCounters(96, 96, 0, 96), stats);
        }
    }

    [Fact]
    public void Reconfiguring_without_a_non_ip_cpu_keeps_it_while_listed()
    {
        Kernel.RequireBpf();
        var cpus = TestCpus.TwoCpus();
        using var redirect = FlowHashRedirect.Load();
        redirect.Configure(cpus, 64, null, cpus[1]);
        redirect.Configure(cpus);
        Assert.Equal(cpus[1], redirect.NonIpCpu);
        redirect.Configure([cpus[0]]);
        Assert.Equal(cpus[0], redirect.NonIpCpu);
        Assert.True(Bpf.MapLookupElem(redirect.NonIpCpuMap, 0u, out uint written));
        Assert.Equal((uint)cpus[0], written);
    }

    [Theory]
    [MemberData(nameof(Flows))]
    public void Truncated_frames_go_to_the_non_ip_cpu_and_never_abort(string flow, byte[] frame)
    {
        Kernel.RequireBpf();
        using var redirect = FlowHashRedirect.Load();
        redirect.Configure(CpuList.Possible.ToArray());
        var headers = HeadersLength(frame);
        for (var length = 14; length <= headers + 4; length++)
        {
            var before = Sum(redirect.ReadStats());
            Assert.Equal(XdpAction.Redirect, Bpf.ProgTestRun(redirect.Program, frame.AsSpan(0, length)).XdpAction);
            var counted = Sum(redirect.ReadStats()) - before;
            Assert.True(counted == new RedirectCounters(1, 1, 0, length < headers ? 1ul : 0),
                $"{flow} cut to {length} of {frame.Length} bytes (headers end at {headers}): counted {counted}");
        }
    }

    [Fact]
    public void Stats_add_up_and_remote_cpus_deliver_every_redirected_frame()
    {
        Kernel.RequireBpf();
        using var landing = new FlowLanding();
        uint sent = 0;
        foreach (var frame in Flows.Select(row => (byte[])row.Data.Item2))
        {
            landing.Send(frame, 50);
            sent += 50;
        }
        landing.Send(EthernetFrame.NonIp(), 10);
        sent += 10;

        var perCpu = landing.Redirect.ReadStats();
        foreach (var counters in perCpu)
            Assert.Equal(counters.Received, counters.Redirected + counters.Errors);
        var total = Sum(perCpu);
        Assert.Equal(new RedirectCounters(sent, sent, 0, 10), total);
        Assert.Equal(sent, landing.Counter.ReadTotal());
    }

    [Fact]
    public void Bad_configuration_names_the_input()
    {
        Kernel.RequireBpf();
        var cpu = CpuList.Possible[0];
        using var redirect = FlowHashRedirect.Load();
        var notListed = Assert.Throws<ArgumentOutOfRangeException>(() => redirect.Configure([cpu], 64, null, cpu + 1));
        Assert.Equal("nonIpCpu", notListed.ParamName);
        Assert.Contains($"The non-IP CPU {cpu + 1} is not in the CPU list [{cpu}]", notListed.Message);
        Assert.Contains("Choose one of the listed CPUs", notListed.Message);
        Assert.Equal("cpus", Assert.Throws<ArgumentNullException>(() => redirect.Configure(null!, 64, null, null)).ParamName);
        Assert.Contains("The CPU list is empty", Assert.Throws<ArgumentException>(() => redirect.Configure([], 64, null, cpu)).Message);
        Assert.Contains($"CPU {cpu} appears more than once in the CPU list [{cpu},{cpu}]: list each CPU once", Assert.Throws<ArgumentException>(() => redirect.Configure([cpu, cpu], 64, null, null)).Message);
        Assert.Equal("qsize", Assert.Throws<ArgumentOutOfRangeException>(() => redirect.Configure([cpu], 0, null, null)).ParamName);
        // Nothing above changed the program's configuration.
        Assert.Empty(redirect.Cpus);
        Assert.Null(redirect.NonIpCpu);

        redirect.Dispose();
        Assert.Throws<ObjectDisposedException>(() => redirect.Configure([cpu], 64, null, null));
        Assert.Throws<ObjectDisposedException>(() => redirect.ReadStats());
    }

    private static RedirectCounters Sum(IReadOnlyList<RedirectCounters> perCpu) => perCpu.Aggregate(default(RedirectCounters), (a, b) => a + b);

    /// <summary>Where the headers the program reads end: Ethernet, VLAN tags, IP, and 4 bytes of ports for TCP and UDP.</summary>
    private static int HeadersLength(byte[] frame)
    {
        var offset = 12;
        while ((frame[offset] << 8 | frame[offset + 1]) is 0x8100 or 0x88A8)
            offset += 4;
        var ipv6 = (frame[offset] << 8 | frame[offset + 1]) == 0x86DD;
        offset += 2;
        var ipHeader = ipv6 ? 40 : (frame[offset] & 0x0f) * 4;
        var protocol = frame[offset + (ipv6 ? 6 : 9)];
        var fragment = !ipv6 && ((frame[offset + 6] << 8 | frame[offset + 7]) & 0x3fff) != 0;
        return offset + ipHeader + (protocol is 6 or 17 && !fragment ? 4 : 0);
    }
}
