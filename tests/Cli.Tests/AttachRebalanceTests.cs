using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using CpuMap.Managed.Programs;
using CpuMap.Managed.Syscalls.Xdp;
using CpuMap.Managed.Testing;
using CpuMap.Managed.Programs.Redirect;

namespace CpuMap.Managed.Cli.Tests;

/// <summary>
/// `cpumap attach --rebalance` as a user runs it, in its own process: the agent logs every interval beside the link,
/// the moves it logs are the ones in the kernel's table, and Ctrl-C detaches.
/// </summary>
public sealed partial class AttachRebalanceTests(ITestOutputHelper output)
{
    private const int Sigint = 2;

    public static TheoryData<int[]> CpuSets() => DemoTests.CpuSets();

    /// <summary>
    /// Every bucket is first pointed at the first CPU (`rss set --weights`), so all the traffic lands there. On one CPU
    /// there is nowhere to move and the agent must say so; on more it must move buckets, and each bucket it says it moved
    /// must point at that CPU in the kernel's map afterwards.
    /// </summary>
    [Theory]
    [MemberData(nameof(CpuSets))]
    public void The_agent_logs_each_interval_and_its_moves_are_the_kernels_table(int[] cpus)
    {
        Kernel.RequireBpf();
        var nsenter = Kernel.RequireTool("nsenter");
        using var network = new TestNetwork(named: true);
        var cpumap = Path.Combine(AppContext.BaseDirectory, "cpumap.dll");
        // env --default-signal=INT: a test run started in the background of a non-interactive shell inherits SIGINT ignored.
        var start = new ProcessStartInfo(nsenter, [$"--net={network.Host.Path}", Kernel.RequireTool("env"), "--default-signal=INT",
            "dotnet", cpumap, "attach", "--dev", network.Device, "--xdp-mode", "skb", "--mode", "flow-hash", "--cpus", string.Join(',', cpus),
            "--rebalance", "--rebalance-interval", "0.2"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        try
        {
            ReadUntil(process, line => line.StartsWith("rebalancing ", StringComparison.Ordinal), "the agent's first line");
            var set = network.Host.Run(() => CpumapInProcess.Invoke("rss", "set", "--dev", network.Device, "--weights", cpus[0].ToString()));
            Assert.True(set.Exit == 0, set.Stderr);

            // Sixteen flows of equal size: every bucket they use is small beside the first CPU's excess, so there is something to move.
            var moves = new List<(int Bucket, int To)>();
            string? step = null;
            for (var round = 0; round < 20 && step is null; round++)
            {
                for (ushort port = 42000; port < 42016; port++)
                    network.SendUdp(port, 20);
                var line = ReadUntil(process, l => l.StartsWith("rebalance: imbalance", StringComparison.Ordinal) && !l.Contains("imbalance 0.00"),
                    "an interval's step after traffic", moved: m => moves.Add(m));
                if (cpus.Length == 1 || moves.Count > 0)
                    step = line;
            }

            Assert.NotNull(step);
            if (cpus.Length == 1)
            {
                Assert.Contains("nothing to move", step);
                Assert.Empty(moves);
            }
            else
            {
                Assert.NotEmpty(moves);
                using var attached = AttachedRedirect.Open(network.Device, network.Host);
                var table = attached.IndirectionTable!.ReadCpus();
                // A bucket may move twice over the rounds: its last move is where it points now.
                foreach (var (bucket, to) in moves.GroupBy(m => m.Bucket).Select(g => g.Last()))
                    Assert.True(table[bucket] == to, $"the agent logged bucket {bucket} moved to CPU {to}; the kernel's table says CPU {table[bucket]}");
                Assert.All(moves, m => Assert.Contains(m.To, cpus));
            }

            Assert.Equal(0, Kill(process.Id, Sigint));
            Assert.True(process.WaitForExit(TimeSpan.FromSeconds(20)), "cpumap attach --rebalance did not end after Ctrl-C");
            var rest = process.StandardOutput.ReadToEnd();
            output.WriteLine(rest + process.StandardError.ReadToEnd());
            Assert.Equal(0, process.ExitCode);
            Assert.Contains($"detached from {network.Device}", rest);
            network.WaitUntilDetached();
        }
        finally
        {
            if (!process.HasExited)
                process.Kill();
        }
    }

    /// <summary>Reads lines until one matches, collecting logged moves; fails (never hangs) when the process goes quiet for 30 s.</summary>
    private string ReadUntil(Process process, Func<string, bool> match, string what, Action<(int, int)>? moved = null)
    {
        while (true)
        {
            var read = process.StandardOutput.ReadLineAsync();
            if (!read.Wait(TimeSpan.FromSeconds(30)))
                Assert.Fail($"cpumap attach --rebalance printed nothing for 30 s while the test waited for {what}");
            var line = read.Result ?? throw new Xunit.Sdk.XunitException($"cpumap attach ended before {what}: {process.StandardError.ReadToEnd()}");
            output.WriteLine(line);
            if (MoveLine().Match(line) is { Success: true } m)
                moved?.Invoke((int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value)));
            if (match(line))
                return line;
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    [GeneratedRegex(@"^rebalance: moved bucket (\d+) \(\d+ frames\) CPU \d+ -> CPU (\d+)$")]
    private static partial Regex MoveLine();
}
