using System.Diagnostics;
using System.Runtime.InteropServices;
using CpuMap.Managed.Syscalls.Xdp;
using CpuMap.Managed.Testing;

namespace CpuMap.Managed.Cli.Tests;

/// <summary>`cpumap attach --remote FILE.o:PROGRAM` with an object clang builds from remote_object.c.</summary>
public sealed class RemoteObjectTests(ITestOutputHelper output)
{
    [Fact]
    public void A_users_cpumap_program_runs_in_the_entries()
    {
        Kernel.RequireBpf();
        var obj = Compile();
        using var network = new TestNetwork();
        var pin = Path.Combine(Programs.SoftwareRssPins.BpfFsRoot, network.Device);
        try
        {
            var attach = network.Host.Run(() => CpumapInProcess.Invoke("attach", "--dev", network.Device, "--remote", $"{obj}:user_remote_pass", "--pin", pin));
            output.WriteLine(attach.Stdout + attach.Stderr);
            Assert.Equal(0, attach.Exit);
            Assert.Contains($"remote program '{obj}:user_remote_pass'", attach.Stdout);

            var status = network.Host.Run(() => CpumapInProcess.Invoke("status", "--dev", network.Device));
            RenderedTable.Row(status.Stdout, @"\d+", "2048", @"\d+", "user_remote_pas");
            // It counts nothing: stats shows what the redirect counted and says deliveries are unknown.
            var stats = network.Host.Run(() => CpumapInProcess.Invoke("stats", "--dev", network.Device, "--interval", "0.1", "--count", "1"));
            Assert.Equal(0, stats.Exit);
            const string count = @"[0-9.]+ ?k?";
            RenderedTable.Row(stats.Stdout, "total", count, count, count, count, count, count, "n/a");
        }
        finally
        {
            network.Host.Run(() => CpumapInProcess.Invoke("detach", "--dev", network.Device));
        }
        Assert.False(XdpAttachment.Query(network.Device, network.Host).IsAttached);
        Assert.False(Directory.Exists(pin));
    }

    [Fact]
    public void A_program_outside_the_cpumap_section_is_refused_with_the_fix()
    {
        Kernel.RequireBpf();
        var obj = Compile();
        using var network = new TestNetwork();
        var (exit, _, stderr) = network.Host.Run(() => CpumapInProcess.Invoke("attach", "--dev", network.Device, "--remote", $"{obj}:plain_xdp"));
        Assert.Equal(1, exit);
        Assert.Contains("Program 'plain_xdp'", stderr);
        Assert.Contains("Put it in SEC(\"xdp/cpumap\")", stderr);
        var missing = network.Host.Run(() => CpumapInProcess.Invoke("attach", "--dev", network.Device, "--remote", $"{obj}:no_such_prog"));
        Assert.Equal(1, missing.Exit);
        Assert.Contains("has no program 'no_such_prog'; its programs are: user_remote_pass", missing.Stderr);
        Assert.False(XdpAttachment.Query(network.Device, network.Host).IsAttached);
    }

    private static string Compile()
    {
        var clang = Kernel.RequireTool("clang-19");
        var dir = Path.Combine(AppContext.BaseDirectory, "fixtures");
        var obj = Path.Combine(dir, "remote_object.o");
        // The uapi headers include <asm/types.h>, which lives under the multiarch directory.
        using var process = Process.Start(new ProcessStartInfo(clang, ["-O2", "-g", "-target", "bpf", "-I", dir, "-I", $"/usr/include/{RuntimeInformation.ProcessArchitecture switch { Architecture.Arm64 => "aarch64", _ => "x86_64" }}-linux-gnu", "-c", Path.Combine(dir, "remote_object.c"), "-o", obj])
        {
            RedirectStandardError = true,
        })!;
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{clang} could not compile remote_object.c: {errors}");
        return obj;
    }
}
