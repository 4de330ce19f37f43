using System.Diagnostics;

namespace CpuMap.Managed.Syscalls.Tests;

/// <summary>Runs a system tool (ip, mount, gcc) and fails the test with its output when it fails.</summary>
internal static class Shell
{
    public static string Run(string tool, params string[] args)
    {
        var path = Testing.Kernel.RequireTool(tool);
        var psi = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
            psi.ArgumentList.Add(arg);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            Assert.Fail($"{tool} {string.Join(' ', args)} exited with {process.ExitCode}: {stderr}");
        return stdout.Result;
    }
}
