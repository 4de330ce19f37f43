using CpuMap.Managed.Testing;

namespace CpuMap.Managed.Cli.Tests;

/// <summary>
/// The commands that create something, run as user nobody without capabilities, are refused by the kernel and say
/// which capability is missing and how to grant it. (Read-only commands with nothing to read succeed unprivileged,
/// as they should; tests/Publish.Tests runs every command with capabilities and without each one.)
/// </summary>
public sealed class PrivilegeTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("CAP_SYS_ADMIN", "demo", "--frames", "1000")]
    [InlineData("CAP_BPF", "attach", "--dev", "lo")]
    public async Task Without_capabilities_a_command_names_the_missing_one_and_exits_1(string capability, params string[] args)
    {
        var (exit, stdout, stderr) = await Unprivileged.RunCpumap(args);
        output.WriteLine(stderr);

        Assert.Equal(1, exit);
        Assert.Contains($"cpumap {args[0]}: ", stderr);
        Assert.Contains($"this process lacks {capability}", stderr);
        Assert.Contains($"--cap-add {capability["CAP_".Length..]}", stderr);
        Assert.DoesNotContain("attached", stdout);
        Assert.DoesNotContain("Exception", stderr);
    }
}
