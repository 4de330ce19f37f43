using System.Diagnostics;
using CpuMap.Managed.Testing;

namespace CpuMap.Managed.Elf.Tests;

/// <summary>Runs the reference tools (llvm-readelf-19, bpftool, the fixture build script).</summary>
internal static class Tools
{
    /// <summary>Runs <paramref name="tool"/> from PATH (skipping the test if it is missing) and returns its stdout.</summary>
    public static string Run(string tool, params string[] arguments) => Execute(Kernel.RequireTool(tool), arguments);

    /// <summary>Runs <paramref name="path"/>, fails the test unless it exits 0, and returns its stdout.</summary>
    public static string Execute(string path, params string[] arguments)
    {
        var start = new ProcessStartInfo(path, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var stderr = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) => stderr.AppendLine(e.Data);
        process.BeginErrorReadLine();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{path} {string.Join(' ', arguments)} exited {process.ExitCode}: {stderr}");
        return stdout;
    }
}
