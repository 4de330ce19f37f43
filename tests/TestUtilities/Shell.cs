using System.Diagnostics;

namespace CpuMap.Managed.Testing;

/// <summary>Runs a system tool (bpftool, ip, mount, gcc) and returns its exit code and output, or fails the test.</summary>
public static class Shell
{
    public static (int ExitCode, string Output, string Error) Try(string tool, params string[] args)
    {
        var path = Kernel.RequireTool(tool);
        var psi = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
            psi.ArgumentList.Add(arg);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr);
    }

    public static string Run(string tool, params string[] args)
    {
        var (code, output, error) = Try(tool, args);
        if (code != 0)
            Assert.Fail($"{tool} {string.Join(' ', args)} exited with {code}: {error}");
        return output;
    }
}
