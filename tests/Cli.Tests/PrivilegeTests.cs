using System.Diagnostics;
using CpuMap.Managed.Testing;

namespace CpuMap.Managed.Cli.Tests;

/// <summary>The commands run as an unprivileged user say that root is needed, before touching anything.</summary>
public sealed class PrivilegeTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("demo")]
    [InlineData("status")]
    [InlineData("attach", "--dev", "lo")]
    [InlineData("detach", "--dev", "lo")]
    [InlineData("stats", "--dev", "lo")]
    public async Task Without_root_each_command_says_so_and_exits_1(params string[] args)
    {
        Kernel.RequireBpf();
        var setpriv = Kernel.RequireTool("setpriv");
        var cpumap = Path.Combine(AppContext.BaseDirectory, "cpumap.dll");
        // nobody, without capabilities.
        var start = new ProcessStartInfo(setpriv, ["--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all", "dotnet", cpumap, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DOTNET_CLI_HOME"] = Path.GetTempPath();
        start.Environment["HOME"] = Path.GetTempPath();
        using var process = Process.Start(start)!;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = await process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        output.WriteLine(stderr);

        if (stderr.Contains("cpumap.dll") && !stderr.Contains($"cpumap {args[0]}:"))
            Kernel.Unavailable($"the test binary is not readable by user nobody, so the unprivileged run cannot start: {stderr}");
        Assert.Equal(1, process.ExitCode);
        Assert.Contains($"cpumap {args[0]}: ", stderr);
        Assert.Contains("needs root (CAP_BPF, CAP_NET_ADMIN and CAP_SYS_ADMIN): run it with sudo.", stderr);
        Assert.Equal("", await stdout);
    }
}
