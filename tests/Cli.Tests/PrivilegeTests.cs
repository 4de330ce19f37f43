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
        var (exit, stdout, stderr) = await Unprivileged.RunCpumap(args);
        output.WriteLine(stderr);

        Assert.Equal(1, exit);
        Assert.Contains($"cpumap {args[0]}: ", stderr);
        Assert.Contains("needs root (CAP_BPF, CAP_NET_ADMIN and CAP_SYS_ADMIN): run it with sudo.", stderr);
        Assert.Equal("", stdout);
    }
}
