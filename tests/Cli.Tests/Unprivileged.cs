using System.Diagnostics;

namespace CpuMap.Managed.Cli.Tests;

/// <summary>Runs the <c>cpumap</c> CLI built next to the test as user nobody without capabilities, through setpriv.</summary>
internal static class Unprivileged
{
    /// <summary>
    /// Runs <c>dotnet cpumap.dll ARGS</c> as uid/gid 65534 with no capabilities and returns its exit code and output.
    /// Skips (or fails under CI) when setpriv is missing or nobody cannot read the test binaries, since then the
    /// command never starts and there is nothing to assert.
    /// </summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunCpumap(params string[] args)
    {
        Kernel.RequireBpf();
        var setpriv = Kernel.RequireTool("setpriv");
        var cpumap = Path.Combine(AppContext.BaseDirectory, "cpumap.dll");
        var start = new ProcessStartInfo(setpriv, ["--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all", "dotnet", cpumap, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // nobody's home is not writable: dotnet needs somewhere for its first-run files.
        start.Environment["DOTNET_CLI_HOME"] = Path.GetTempPath();
        start.Environment["HOME"] = Path.GetTempPath();
        using var process = Process.Start(start)!;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = await process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);

        if (stderr.Contains("cpumap.dll") && !stderr.Contains($"cpumap {args[0]}:"))
            Kernel.Unavailable($"the test binary is not readable by user nobody, so the unprivileged run cannot start: {stderr}");
        return (process.ExitCode, await stdout, stderr);
    }
}
