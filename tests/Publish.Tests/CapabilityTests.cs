using System.Text.RegularExpressions;

namespace CpuMap.Managed.Publish.Tests;

/// <summary>
/// The published `cpumap` as a container runs it: a non-root uid (nobody) holding only the capabilities each command
/// needs, granted as ambient capabilities through setpriv, never euid 0. Each command runs once with exactly its set and
/// once without each capability of it, and then must name that capability. The device is a veth in a network namespace
/// of the test's own (entered with nsenter before the privileges drop), the pins go to a BPF filesystem of the test's own
/// that nobody may write.
/// </summary>
public sealed partial class CapabilityTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    private readonly string _folder = Directory.CreateTempSubdirectory("cpumap-caps-").FullName;
    private readonly string _namespace = $"ccp{Environment.ProcessId % 100000}";
    private readonly List<string> _mounts = [];

    private string Device => _namespace + "a";

    private string Cpumap => Path.Combine(_folder, "cpumap");

    private string Pins => Path.Combine(_folder, "bpffs", "redirect");

    [Fact]
    public void Each_command_runs_as_nobody_with_only_its_capabilities_and_names_each_one_it_lacks()
    {
        Kernel.RequireBpf();
        Prepare();
        var obj = Path.Combine(_folder, "round_robin.o");
        var cpus = File.ReadAllText("/sys/devices/system/cpu/possible").Trim();

        var load = Expect(["CAP_BPF", "CAP_NET_ADMIN"], "load", obj, "--set", $"nr_cpus={Environment.ProcessorCount}");
        RenderedTable.Row(load, "xdp_redir_cpu_round_robin", "xdp_redir_cpu_r", @"[1-9]\d*", "BPF_PROG_TYPE_XDP");

        var attach = Expect(["CAP_BPF", "CAP_NET_ADMIN"], "attach", "--dev", Device, "--xdp-mode", "skb", "--pin", Pins);
        Assert.Contains($"pinned under {Pins}", attach);
        var progId = AttachedProgram().Match(attach).Groups["id"].Value;

        // Opening programs and maps by id (BPF_*_GET_FD_BY_ID) is CAP_SYS_ADMIN's, which stands for CAP_BPF here.
        var status = Expect(["CAP_SYS_ADMIN"], "status", "--dev", Device, "--json");
        Assert.Contains($"\"prog_id\": {progId}", status);
        var stats = Expect(["CAP_SYS_ADMIN"], "stats", "--dev", Device, "--count", "1", "--interval", "0.2");
        Assert.Contains("total", stats);
        var detach = Expect(["CAP_SYS_ADMIN"], "detach", "--dev", Device, "--pin", Pins);
        Assert.Contains($"detached the pinned redirect from {Device} and removed its pins", detach);
        Assert.False(Directory.Exists(Pins));

        // The demo makes a network namespace (CAP_SYS_ADMIN) and a veth pair in it (CAP_NET_ADMIN).
        var demo = Expect(["CAP_SYS_ADMIN", "CAP_NET_ADMIN"], "demo", "--frames", "100000");
        Assert.Contains($"over CPUs {cpus}", demo);
        Assert.Contains("sent 100000 = delivered", demo);
        Assert.Contains("removed:", demo);
    }

    /// <summary>
    /// Runs `cpumap ARGS` without each of <paramref name="capabilities"/> in turn (it must fail naming that one), then with
    /// exactly them (it must succeed); returns the successful run's output.
    /// </summary>
    private string Expect(string[] capabilities, params string[] args)
    {
        foreach (var missing in capabilities)
        {
            var fewer = capabilities.Where(c => c != missing).ToArray();
            var (failed, refusal) = RunAsNobody(fewer, args);
            output.WriteLine($"$ [{string.Join(',', fewer)}] cpumap {string.Join(' ', args)} -> {failed}\n{refusal}");
            Assert.True(failed == 1, $"cpumap {args[0]} without {missing} exited with {failed}, not 1:\n{refusal}");
            Assert.Contains($"cpumap {args[0]}: ", refusal);
            Assert.Contains($"this process lacks {missing}", refusal);
            Assert.Contains($"--cap-add {missing["CAP_".Length..]}", refusal);
        }
        var (exit, text) = RunAsNobody(capabilities, args);
        output.WriteLine($"$ [{string.Join(',', capabilities)}] cpumap {string.Join(' ', args)} -> {exit}\n{text}");
        Assert.True(exit == 0, $"cpumap {args[0]} with {string.Join(" and ", capabilities)} exited with {exit}:\n{text}");
        return text;
    }

    private (int Exit, string Output) RunAsNobody(string[] capabilities, string[] args)
    {
        var set = string.Join(',', capabilities.Select(c => "+" + c["CAP_".Length..].ToLowerInvariant()).Prepend("-all"));
        return PublishedBinary.Run(Kernel.RequireTool("nsenter"),
            [$"--net=/run/netns/{_namespace}", Kernel.RequireTool("setpriv"), "--reuid=65534", "--regid=65534", "--clear-groups",
             $"--inh-caps={set}", $"--ambient-caps={set}", $"--bounding-set={set}", Cpumap, .. args], Timeout);
    }

    /// <summary>The binary and the object where nobody can read them; a BPF filesystem nobody may write; the namespace and veth.</summary>
    private void Prepare()
    {
        File.Copy(PublishedBinary.Cpumap, Cpumap);
        File.Copy(Path.Combine(PublishedBinary.RepositoryRoot(), "tests", "fixtures", "obj", "clang19", "round_robin.o"), Path.Combine(_folder, "round_robin.o"));
        Shell.Run("chmod", "755", _folder); // made 0700 by CreateTempSubdirectory
        var bpffs = Path.Combine(_folder, "bpffs");
        Directory.CreateDirectory(bpffs);
        Shell.Run("mount", "-t", "bpf", "bpf", bpffs);
        _mounts.Add(bpffs);
        Shell.Run("chown", "65534:65534", bpffs);
        Shell.Run("ip", "netns", "add", _namespace);
        Shell.Run("ip", "-n", _namespace, "link", "add", Device, "type", "veth", "peer", "name", _namespace + "b");
        Shell.Run("ip", "-n", _namespace, "link", "set", Device, "up");
        Shell.Run("ip", "-n", _namespace, "link", "set", _namespace + "b", "up");
    }

    public void Dispose()
    {
        if (File.Exists($"/run/netns/{_namespace}"))
            Shell.Try("ip", "netns", "del", _namespace); // takes the veth pair, and an XDP link left on it, with it
        foreach (var mount in _mounts)
            Shell.Try("umount", mount);
        Directory.Delete(_folder, recursive: true);
    }

    [GeneratedRegex(@"attached round-robin \(program id (?<id>\d+)\)")]
    private static partial Regex AttachedProgram();
}
