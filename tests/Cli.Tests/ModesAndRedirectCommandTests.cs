using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using CpuMap.Managed.Loader;
using CpuMap.Managed.Programs;
using CpuMap.Managed.Syscalls;
using CpuMap.Managed.Syscalls.Xdp;
using CpuMap.Managed.Testing;
using CpuMap.Managed.Programs.Bytecode;
using CpuMap.Managed.Programs.Redirect;
using CpuMap.Managed.Programs.Remote;
using CpuMap.Managed.Programs.Traffic;

namespace CpuMap.Managed.Cli.Tests;

/// <summary>`--mode` with xdp-bench's per-frame modes on `demo` and `attach`, and `attach --remote redirect --redirect-dev IF [--egress …]`.</summary>
public sealed class ModesAndRedirectCommandTests(ITestOutputHelper output)
{
    /// <summary>
    /// The demo's frames are UDP from source ports 1024 + flow (64 flows) to port 9; over the CPU list <c>cpus</c>
    /// each mode's rule says where they may land. l4-filter drops them all: port 9 is the port it filters.
    /// </summary>
    [Theory]
    [InlineData("l4-proto")]
    [InlineData("l4-filter")]
    [InlineData("l4-sport")]
    [InlineData("l4-dport")]
    [InlineData("no-touch")]
    [InlineData("touch")]
    public void Demo_frames_land_where_the_modes_rule_says(string mode)
    {
        Kernel.RequireBpf();
        var cpus = CpuList.Possible.Reverse().ToArray();         // reversed: "the first CPU" is the first listed
        var options = new DemoOptions { Rss = new SoftwareRssOptions { Mode = RssModes.Parse(mode), Cpus = cpus, Remote = RemoteAction.Drop }, Frames = 20_000 };
        var result = SoftwareRssDemo.Run(options, cancellation: TestContext.Current.CancellationToken);
        var allowed = mode switch
        {
            "l4-proto" => [cpus[1 % cpus.Length]],                                          // UDP: position 1
            "l4-sport" => Enumerable.Range(0, options.Flows).Select(f => cpus[(1024 + f) % cpus.Length]).Distinct().ToArray(),
            "l4-dport" => [cpus[9 % cpus.Length]],
            "no-touch" or "touch" => [cpus[0]],
            _ => Array.Empty<int>(),
        };
        foreach (var row in result.Rows)
            Assert.True(allowed.Contains(row.Cpu) || row.Delivered == 0, $"{mode}: CPU {row.Cpu} got {row.Delivered} frames; only [{string.Join(',', allowed)}] may");
        Assert.Equal(result.Sent, result.Delivered + result.Dropped);
        Assert.Equal(0ul, result.RedirectErrors);
        Assert.Equal(mode == "l4-filter" ? result.Sent : 0, result.Filtered);
        if (mode != "l4-filter")
            Assert.True(result.Delivered > 0, $"{mode}: nothing delivered of {result.Sent}");
    }

    [Fact]
    public void Demo_with_l4_filter_says_what_the_filter_dropped()
    {
        Kernel.RequireBpf();
        var (exit, stdout, stderr) = CpumapInProcess.Invoke("demo", "--mode", "l4-filter", "--frames", "5000");
        output.WriteLine(stdout + stderr);
        Assert.Equal(0, exit);
        Assert.Contains("cpumap demo: l4-filter over CPUs", stdout);
        Assert.Contains("sent 5000 = delivered 0 + dropped 5000 (redirect errors 0, dropped by l4-filter 5000, full queues 0", stdout);
    }

    /// <summary>
    /// The demo's remote action redirect: the remote CPUs send every frame they get out of a second veth pair of the demo's,
    /// and a program on its peer counts what arrives: at most what they sent on (a device may drop), and something.
    /// </summary>
    [Fact]
    public void Demo_with_remote_redirect_sends_frames_out_of_its_second_pair_and_leaves_nothing_behind()
    {
        Kernel.RequireBpf();
        var before = Leftovers.Now();
        var (exit, stdout, stderr) = CpumapInProcess.Invoke("demo", "--remote", "redirect", "--frames", "20000", "--qsize", "16384");
        output.WriteLine(stdout + stderr);

        Assert.Equal(0, exit);
        Assert.Contains("remote program 'redirect'", stdout);
        var sum = Regex.Match(stdout, @"sent (\d+) = delivered (\d+) \+ dropped (\d+)");
        Assert.True(sum.Success, "no 'sent = delivered + dropped' line");
        var delivered = ulong.Parse(sum.Groups[2].Value);
        var arrivedLine = Regex.Match(stdout, @"redirected out of cpumap2: (\d+) of the (\d+) frames the remote CPUs sent on arrived at its peer cpumap3");
        Assert.True(arrivedLine.Success, "no 'redirected out of cpumap2' line");
        Assert.Equal(delivered, ulong.Parse(arrivedLine.Groups[2].Value));
        Assert.InRange(ulong.Parse(arrivedLine.Groups[1].Value), 1ul, delivered);
        Leftovers.Now().AssertNothingAddedSince(before);
    }

    [Fact]
    public void Attach_with_remote_redirect_sends_frames_out_of_the_second_veth_pins_the_devmap_and_detach_removes_it()
    {
        Kernel.RequireBpf();
        var before = Leftovers.Now();
        using var network = new TestNetwork();
        var outDevice = network.Device + "o";
        var outPeer = network.Device + "q";
        int deviceIndex;
        using (var rtnl = network.Host.OpenRtNetlink())
        {
            deviceIndex = rtnl.GetLink(network.Device).Index;
            rtnl.SetLinkUp(rtnl.NewVeth(outDevice, outPeer, network.Peer));
        }
        using (var rtnl = network.Peer.OpenRtNetlink())
            rtnl.SetLinkUp(rtnl.GetLink(outPeer).Index);
        // What arrives at the second pair's peer, counted there by XDP (and dropped).
        var arrived = Bpf.MapCreate(BpfMapType.PercpuArray, sizeof(uint), sizeof(ulong), 1, name: "peer_arrived");
        var counter = DslProgramLoader.Load(RemoteCpuCountProgram.Build(XdpAction.Drop, "peer_count", "peer_arrived"), "peer_count", [arrived]);
        var peerXdp = XdpAttachment.Attach(outPeer, counter, XdpMode.Native, XdpAttachMethod.Auto, network.Peer);

        var pin = Path.Combine(SoftwareRssPins.BpfFsRoot, network.Device);
        uint txPortId;
        try
        {
            var attach = network.Host.Run(() => CpumapInProcess.Invoke("attach", "--dev", network.Device, "--mode", "l4-dport", "--remote", "redirect",
                "--redirect-dev", outDevice, "--egress", "pass", "--xdp-mode", "native", "--pin", pin));
            output.WriteLine(attach.Stdout + attach.Stderr);
            Assert.Equal(0, attach.Exit);
            Assert.Contains($"attached l4-dport (program id", attach.Stdout);
            Assert.Contains($"the remote CPUs send frames out of {outDevice}", attach.Stdout);
            Assert.Contains("egress program 'pass'", attach.Stdout);
            using (var txPort = Bpf.ObjGetMap(Path.Combine(pin, SoftwareRssPins.TxPortFile)))
            {
                Assert.Equal(BpfMapType.Devmap, txPort.Type);
                txPortId = txPort.Id;
            }

            var status = network.Host.Run(() => CpumapInProcess.Invoke("status", "--dev", network.Device));
            output.WriteLine(status.Stdout);
            foreach (var cpu in CpuList.Possible)
                RenderedTable.Row(status.Stdout, $"{cpu}", "2048", @"\d+", "xdp_cpumap_redi");

            // Frames as if received on the first pair's device, through the pinned program.
            using (var program = Bpf.ProgGetFdById(XdpAttachment.Query(network.Device, network.Host).ProgId))
                network.Host.Run(() => LiveFrames.Send(program, EthernetFrame.Udp(40000, 53), 500, 64, deviceIndex));
            Eventually.True(() => Sum(arrived) >= 500, $"500 frames to arrive at {outPeer} (seen {Sum(arrived)})");
            Assert.Equal(500ul, Sum(arrived));

            var stats = network.Host.Run(() => CpumapInProcess.Invoke("stats", "--dev", network.Device, "--interval", "0.1", "--count", "1"));
            Assert.Equal(0, stats.Exit);
        }
        finally
        {
            var detach = network.Host.Run(() => CpumapInProcess.Invoke("detach", "--dev", network.Device));
            output.WriteLine(detach.Stdout + detach.Stderr);
            peerXdp.Dispose();
            counter.Dispose();
            arrived.Dispose();
        }
        Assert.False(XdpAttachment.Query(network.Device, network.Host).IsAttached);
        Assert.False(Directory.Exists(pin));
        Eventually.True(() => !MapExists(txPortId), $"the DEVMAP (id {txPortId}) to be freed after detach");
        network.Dispose();
        Leftovers.Now().AssertNothingAddedSince(before);
    }

    [Theory]
    [InlineData("attach --dev lo --remote redirect", "--remote redirect sends frames out of another device: name it with --redirect-dev IF.")]
    [InlineData("attach --dev lo --redirect-dev eth9", "--redirect-dev is only for --remote redirect (the remote action is pass)")]
    [InlineData("attach --dev lo --remote drop --egress pass", "--egress is only for --remote redirect (the remote action is drop)")]
    [InlineData("attach --dev lo --remote redirect --redirect-dev a/b", "--redirect-dev 'a/b': 'a/b' is not a valid network device name")]
    [InlineData("attach --dev lo --remote redirect --redirect-dev a:b", "--redirect-dev 'a:b': 'a:b' is not a valid network device name")]
    [InlineData("attach --dev lo --remote redirect --redirect-dev eth9 --egress bogus", "--egress bogus is neither pass (count, then send) nor FILE.o:PROGRAM")]
    [InlineData("attach --dev lo --remote redirect --redirect-dev eth9 --egress /nonexistent/e.o:egress", "--egress /nonexistent/e.o:egress: The object file '/nonexistent/e.o' of program 'egress' does not exist")]
    [InlineData("attach --dev lo --mode l4-hash", "--mode l4-hash is not a redirect mode: use round-robin, flow-hash, l4-proto, l4-filter, l4-sport, l4-dport, no-touch, touch")]
    [InlineData("demo --mode bogus", "--mode bogus is not a redirect mode: use round-robin")]
    [InlineData("demo --remote x.o:prog", "--remote x.o:prog is not a remote program here: use pass, drop or redirect")]
    public void Bad_modes_and_redirect_options_are_refused_naming_them(string command, string message)
    {
        var (exit, stdout, stderr) = CpumapInProcess.Invoke(command.Split(' '));
        Assert.Equal(1, exit);
        Assert.Contains(message, stderr);
        Assert.DoesNotContain("(program id", stdout);
        Assert.DoesNotContain("cpumap demo:", stdout);
    }

    [Fact]
    public void A_redirect_device_that_does_not_exist_is_refused_before_anything_is_attached()
    {
        Kernel.RequireBpf();
        using var network = new TestNetwork();
        var (exit, _, stderr) = network.Host.Run(() => CpumapInProcess.Invoke("attach", "--dev", network.Device, "--remote", "redirect", "--redirect-dev", "nosuchdev9"));
        Assert.Equal(1, exit);
        Assert.Contains("No network device is named 'nosuchdev9', so the remote CPUs have nothing to redirect frames out of", stderr);
        Assert.False(XdpAttachment.Query(network.Device, network.Host).IsAttached);
    }

    [Fact]
    public void Help_lists_every_mode_and_the_redirect_options()
    {
        var (exit, stdout, _) = CpumapInProcess.Invoke("attach", "--help");
        Assert.Equal(0, exit);
        Assert.Contains("round-robin|flow-hash|l4-proto|l4-filter|l4-sport|l4-dport|no-touch|touch", stdout);
        Assert.Contains("pass|drop|redirect|FILE.o:PROGRAM", stdout);
        Assert.Contains("--redirect-dev", stdout);
        Assert.Contains("--egress", stdout);
        Assert.Contains("l4-proto|l4-filter", CpumapInProcess.Invoke("demo", "--help").Stdout);
    }

    private static ulong Sum(MapFd map)
    {
        var buffer = new byte[map.ValueBufferSize];
        Bpf.MapLookupElem(map, BitConverter.GetBytes(0u), buffer);
        return MemoryMarshal.Cast<byte, ulong>(buffer).ToArray().Aggregate(0ul, (a, b) => a + b);
    }

    private static bool MapExists(uint id)
    {
        try
        {
            Bpf.MapGetFdById(id).Dispose();
            return true;
        }
        catch (BpfException e) when (e.Errno == Errno.ENOENT)
        {
            return false;
        }
    }
}
