using System.Diagnostics;
using System.Runtime.InteropServices;
using CpuMap.Managed.Syscalls.Xdp;
using CpuMap.Managed.Testing;

namespace CpuMap.Managed.Cli.Tests;

/// <summary>
/// `cpumap attach` without --pin as a real process inside the test's namespace (entered with nsenter):
/// its XDP link lives exactly as long as the process, and Ctrl-C (SIGINT) or SIGTERM detaches cleanly.
/// </summary>
public sealed class AttachProcessTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(Sigint)]
    [InlineData(Sigterm)]
    [InlineData(Sigkill)]
    public void An_attach_without_pins_lasts_as_long_as_its_process(int signal)
    {
        Kernel.RequireBpf();
        var nsenter = Kernel.RequireTool("nsenter");
        using var network = new TestNetwork(named: true);
        var cpumap = Path.Combine(AppContext.BaseDirectory, "cpumap.dll");
        // env --default-signal=INT: a test run started in the background of a non-interactive shell inherits SIGINT
        // ignored, and a process that starts with SIGINT ignored keeps it ignored (as `nohup` relies on), .NET too.
        var start = new ProcessStartInfo(nsenter, [$"--net={network.Host.Path}", Kernel.RequireTool("env"), "--default-signal=INT",
            "dotnet", cpumap, "attach", "--dev", network.Device, "--xdp-mode", "skb"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        try
        {
            string? line;
            while ((line = process.StandardOutput.ReadLine()) is not null && !line.StartsWith("running:", StringComparison.Ordinal))
                output.WriteLine(line);
            if (line is null)
                Assert.Fail($"cpumap attach ended early: {process.StandardError.ReadToEnd()}");
            Assert.Contains("press Ctrl-C to detach", line);
            Assert.True(XdpAttachment.Query(network.Device, network.Host).IsAttached);

            Assert.Equal(0, Kill(process.Id, signal));
            Assert.True(process.WaitForExit(TimeSpan.FromSeconds(20)), "cpumap attach did not end after the signal");
            var rest = process.StandardOutput.ReadToEnd();
            output.WriteLine(rest + process.StandardError.ReadToEnd());
            if (signal != Sigkill)
            {
                Assert.Equal(0, process.ExitCode);
                Assert.Contains($"detached from {network.Device}", rest);
            }
            network.WaitUntilDetached();
        }
        finally
        {
            if (!process.HasExited)
                process.Kill();
        }
    }

    private const int Sigint = 2, Sigkill = 9, Sigterm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
