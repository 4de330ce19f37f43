using System.Text.Json;
using CpuMap.Managed.Programs;
using CpuMap.Managed.Syscalls;
using CpuMap.Managed.Syscalls.Xdp;
using CpuMap.Managed.Testing;
using CpuMap.Managed.Programs.Redirect;

namespace CpuMap.Managed.Cli.Tests;

/// <summary>
/// `cpumap attach --pin`, `status`, `stats` and `detach` in-process, run on a thread inside a
/// test-made namespace (as a shell inside it would), against a veth the test made there.
/// </summary>
public sealed class CommandTests(ITestOutputHelper output)
{
    [Fact]
    public void Attach_with_pin_stays_status_and_stats_show_it_and_detach_removes_everything()
    {
        Kernel.RequireBpf();
        var before = Leftovers.Now();
        using var network = new TestNetwork();
        var pin = Path.Combine(SoftwareRssPins.BpfFsRoot, network.Device);
        try
        {
            var attach = network.Host.Run(() => CpumapInProcess.Invoke("attach", "--dev", network.Device, "--mode", "flow-hash", "--cpus", CpuList.Possible.ToString(),
                "--qsize", "512", "--remote", "pass", "--xdp-mode", "native", "--pin", pin));
            output.WriteLine(attach.Stdout + attach.Stderr);
            Assert.Equal(0, attach.Exit);
            Assert.Contains($"pinned under {pin}", attach.Stdout);
            // The command has returned and closed every fd: the pinned link alone keeps the program on the device.
            var xdp = XdpAttachment.Query(network.Device, network.Host);
            Assert.Equal(XdpMode.Native, xdp.Mode);
            Assert.True(File.Exists(Path.Combine(pin, SoftwareRssPins.LinkFile)));

            var status = network.Host.Run(() => CpumapInProcess.Invoke("status", "--dev", network.Device));
            output.WriteLine(status.Stdout + status.Stderr);
            Assert.Equal(0, status.Exit);
            RenderedTable.Row(status.Stdout, network.Device, @"\d+", "native", $"{xdp.ProgId}", @"xdp_redir_cpu_\w*", "yes");
            foreach (var cpu in CpuList.Possible)
                RenderedTable.Row(status.Stdout, $"{cpu}", "512", @"\d+", "xdp_cpumap_coun");

            var json = network.Host.Run(() => CpumapInProcess.Invoke("status", "--json"));
            var device = JsonDocument.Parse(json.Stdout).RootElement.EnumerateArray().Single(d => d.GetProperty("device").GetString() == network.Device);
            Assert.Equal(xdp.ProgId, device.GetProperty("prog_id").GetUInt32());
            Assert.True(device.GetProperty("cpumap_redirect").GetBoolean());
            Assert.Equal(CpuList.Possible.Count, device.GetProperty("cpumap_entries").GetArrayLength());

            // Traffic during the stats interval shows up as rates.
            var sender = new Thread(() =>
            {
                for (var i = 0; i < 20; i++)
                {
                    network.SendUdp((ushort)(42000 + i), 50);
                    Thread.Sleep(10);
                }
            });
            sender.Start();
            var stats = network.Host.Run(() => CpumapInProcess.Invoke("stats", "--dev", network.Device, "--interval", "0.5", "--count", "1"));
            sender.Join();
            output.WriteLine(stats.Stdout + stats.Stderr);
            Assert.Equal(0, stats.Exit);
            Assert.Contains("per second over", stats.Stdout);
            // rx, redirected, errors, enqueued, dropped at full queues (512 deep, far from full), delivered.
            const string counted = @"[1-9][0-9.]* ?k?";
            RenderedTable.Row(stats.Stdout, "total", counted, counted, "0", "0", counted, "0", counted);

            var detach = network.Host.Run(() => CpumapInProcess.Invoke("detach", "--dev", network.Device));
            output.WriteLine(detach.Stdout + detach.Stderr);
            Assert.Equal(0, detach.Exit);
            Assert.Contains($"detached the pinned redirect from {network.Device} and removed its pins", detach.Stdout);
            Assert.False(XdpAttachment.Query(network.Device, network.Host).IsAttached);
            Assert.False(Directory.Exists(pin));

            var again = network.Host.Run(() => CpumapInProcess.Invoke("detach", "--dev", network.Device));
            Assert.Equal(0, again.Exit);
            Assert.Contains("has no XDP program: nothing to detach", again.Stdout);
        }
        finally
        {
            if (Directory.Exists(pin))
                SoftwareRssPins.Open(pin).Detach();
        }
        network.Dispose();
        Leftovers.Now().AssertNothingAddedSince(before);
    }

    [Fact]
    public void Detach_leaves_another_programs_xdp_alone()
    {
        Kernel.RequireBpf();
        using var network = new TestNetwork();
        // The seed's round-robin without counters: a redirect, but not one cpumap attach makes.
        using var foreign = RoundRobinRedirect.Load();
        using var attachment = XdpAttachment.Attach(network.Device, foreign.Program, XdpMode.Skb, XdpAttachMethod.Netlink, network.Host);

        var (exit, _, stderr) = network.Host.Run(() => CpumapInProcess.Invoke("detach", "--dev", network.Device));

        Assert.Equal(1, exit);
        Assert.Contains($"cpumap detach: {network.Device} has XDP program 'xdp_redir_cpu_r", stderr);
        Assert.Contains("not a software-RSS redirect of cpumap: it was left attached", stderr);
        Assert.Equal(foreign.Program.Id, XdpAttachment.Query(network.Device, network.Host).ProgId);

        // stats reads what it can of a redirect that is not cpumap's: the kernel's enqueue counts, not its own counters.
        var stats = network.Host.Run(() => CpumapInProcess.Invoke("stats", "--dev", network.Device, "--count", "1", "--interval", "0.2"));
        Assert.True(stats.Exit == 0, stats.Stderr);
        RenderedTable.Row(stats.Stdout, "total", "n/a", "n/a", "n/a", "n/a", "0", "0", "n/a");
    }

    [Fact]
    public void Stats_refuses_a_program_that_redirects_into_no_cpumap()
    {
        Kernel.RequireBpf();
        using var network = new TestNetwork();
        using var pass = Bpf.ProgLoad(BpfProgType.Xdp, [0xb7, 0, 0, 0, 2, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0]);
        using var attachment = XdpAttachment.Attach(network.Device, pass, XdpMode.Skb, XdpAttachMethod.Netlink, network.Host);
        var stats = network.Host.Run(() => CpumapInProcess.Invoke("stats", "--dev", network.Device, "--count", "1"));
        Assert.Equal(1, stats.Exit);
        Assert.Contains($"which redirects into no CPUMAP: attach one with 'cpumap attach --dev {network.Device}'", stats.Stderr);
    }

    [Fact]
    public void Detach_removes_a_netlink_attached_redirect()
    {
        Kernel.RequireBpf();
        using var network = new TestNetwork();
        using var rss = SoftwareRss.Load(new SoftwareRssOptions());
        using var attachment = XdpAttachment.Attach(network.Device, rss.Redirect.Program, XdpMode.Skb, XdpAttachMethod.Netlink, network.Host);

        var (exit, stdout, stderr) = network.Host.Run(() => CpumapInProcess.Invoke("detach", "--dev", network.Device));

        Assert.Equal(0, exit);
        Assert.Equal("", stderr);
        Assert.Contains($"detached the redirect from {network.Device}", stdout);
        network.WaitUntilDetached();
    }

    [Fact]
    public void Detach_of_a_link_held_by_a_running_process_says_to_stop_that_process()
    {
        Kernel.RequireBpf();
        using var network = new TestNetwork();
        using var rss = SoftwareRss.Load(new SoftwareRssOptions());
        rss.Attach(network.Device, XdpMode.Skb, network.Host);

        var (exit, _, stderr) = network.Host.Run(() => CpumapInProcess.Invoke("detach", "--dev", network.Device));

        Assert.Equal(1, exit);
        Assert.Contains("is held by a BPF link that is not pinned", stderr);
        Assert.Contains("stop that 'cpumap attach' with Ctrl-C", stderr);
        Assert.True(XdpAttachment.Query(network.Device, network.Host).IsAttached);
    }

    [Fact]
    public void Status_of_a_device_without_xdp_and_of_a_namespace_without_any()
    {
        Kernel.RequireBpf();
        using var network = new TestNetwork();
        var one = network.Host.Run(() => CpumapInProcess.Invoke("status", "--dev", network.Device));
        Assert.Equal(0, one.Exit);
        RenderedTable.Row(one.Stdout, network.Device, @"\d+", "none", "0", "-", "no");

        var all = network.Host.Run(() => CpumapInProcess.Invoke("status"));
        Assert.Equal(0, all.Exit);
        Assert.Contains("no device has an XDP program", all.Stdout);
        var json = network.Host.Run(() => CpumapInProcess.Invoke("status", "--json"));
        Assert.Equal(0, JsonDocument.Parse(json.Stdout).RootElement.GetArrayLength());
    }

    [Theory]
    [InlineData("attach")]
    [InlineData("detach")]
    [InlineData("status")]
    [InlineData("stats")]
    public void A_device_that_does_not_exist_is_named_in_the_error(string command)
    {
        Kernel.RequireBpf();
        using var network = new TestNetwork();
        var (exit, stdout, stderr) = network.Host.Run(() => CpumapInProcess.Invoke(command, "--dev", "nosuchdev0"));
        Assert.Equal(1, exit);
        Assert.Contains($"cpumap {command}: No network device is named 'nosuchdev0'", stderr);
        // The machine's state, not a caller's bug: the library's root exception, whose message names no parameter.
        Assert.DoesNotContain("(Parameter", stderr);
        Assert.DoesNotContain("attached", stdout);
    }

    [Fact]
    public void Pin_outside_a_bpf_filesystem_is_refused_and_nothing_stays_attached()
    {
        Kernel.RequireBpf();
        using var network = new TestNetwork();
        var (exit, _, stderr) = network.Host.Run(() => CpumapInProcess.Invoke("attach", "--dev", network.Device, "--pin", Path.GetTempPath()));
        Assert.Equal(1, exit);
        Assert.Contains("is not on a BPF filesystem", stderr);
        Assert.False(XdpAttachment.Query(network.Device, network.Host).IsAttached);
    }

    [Theory]
    [InlineData("attach", "--cpus", "0-", "The CPU list from --cpus ('0-') is invalid at character 2: a range is missing a CPU number")]
    [InlineData("attach", "--cpus", "1-0", "The CPU list from --cpus ('1-0') is invalid at character 0: the range 1-0 runs backwards")]
    [InlineData("attach", "--cpus", "", "--cpus : The CPU list is empty: give at least one of the possible CPUs")]
    [InlineData("attach", "--cpus", "9999", "--cpus 9999: CPU 9999 is not a possible CPU of this machine")]
    [InlineData("attach", "--qsize", "0", "--qsize 0: A qsize of 0 makes the kernel delete the entry silently instead of setting it")]
    [InlineData("attach", "--qsize", "99999", "--qsize 99999: A qsize of 99999 is above the kernel's limit of 16384 frames")]
    [InlineData("attach", "--qsize", "-1", "--qsize -1 is not a queue size: give a number of frames from 1 to 16384")]
    [InlineData("attach", "--mode", "random", "--mode random is not a redirect mode")]
    [InlineData("attach", "--remote", "forward", "--remote forward is not pass, drop, redirect or FILE.o:PROGRAM")]
    [InlineData("attach", "--remote", "/nonexistent/x.o:prog", "--remote /nonexistent/x.o:prog: The object file '/nonexistent/x.o' of program 'prog' does not exist")]
    [InlineData("attach", "--remote", "x.o:", "--remote x.o:: 'x.o:' does not name a program in an object file: write FILE.o:PROGRAM")]
    [InlineData("attach", "--remote", ":prog", "--remote :prog: ':prog' does not name a program in an object file")]
    [InlineData("attach", "--xdp-mode", "offload", "--xdp-mode offload is not an XDP mode: use native (driver) or skb (generic)")]
    [InlineData("attach", "--dev", "name-longer-than-15", "--dev 'name-longer-than-15': A network device name is 1 to 15 bytes")]
    [InlineData("detach", "--dev", "a/b", "--dev 'a/b': 'a/b' is not a valid network device name")]
    [InlineData("status", "--dev", "a:b", "--dev 'a:b': 'a:b' is not a valid network device name: the kernel refuses '.', '..', and names containing '/', ':' or whitespace")]
    [InlineData("stats", "--dev", "..", "--dev '..': '..' is not a valid network device name")]
    [InlineData("stats", "--interval", "0", "--interval 0 is not an interval")]
    [InlineData("stats", "--interval", "soon", "--interval soon is not an interval")]
    [InlineData("stats", "--count", "-1", "--count -1 is not a count")]
    public void Bad_values_are_refused_naming_the_option(string command, string option, string value, string message)
    {
        string[] args = option == "--dev" ? [command, option, value] : [command, "--dev", "lo", option, value];
        var (exit, stdout, stderr) = CpumapInProcess.Invoke(args);
        Assert.Equal(1, exit);
        Assert.Contains(message, stderr);
        Assert.DoesNotContain("attached", stdout);
    }

    [Theory]
    [InlineData("attach")]
    [InlineData("detach")]
    [InlineData("stats")]
    public void Dev_is_required(string command)
    {
        var (exit, _, stderr) = CpumapInProcess.Invoke(command);
        Assert.Equal(1, exit);
        Assert.Contains("--dev", stderr);
    }
}
