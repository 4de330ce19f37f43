using CpuMap.Managed.Syscalls;
using CpuMap.Managed.Testing;
using CpuMap.Managed.Programs.Redirect;
using CpuMap.Managed.Programs.Remote;

namespace CpuMap.Managed.Programs.Tests;

/// <summary>Counts this process's open fds, so it runs alone: other tests open and close fds all the time.</summary>
[CollectionDefinition(nameof(FdCounting), DisableParallelization = true)]
public sealed class FdCounting;

[Collection(nameof(FdCounting))]
public sealed class DisposalTests
{
    [Fact]
    public void Dispose_closes_every_program_and_map_fd()
    {
        Kernel.RequireBpf();
        var cpu = CpuList.Possible[0];
        var before = OpenFds();
        for (var i = 0; i < 20; i++)
        {
            using var counter = RemoteCpuCounter.Load();
            using var redirect = RoundRobinRedirect.Load();
            redirect.Configure([cpu], 64, counter.Program);
        }
        CpuMapProbe.Run(64, XdpAction.Pass);
        Assert.Equal(before, OpenFds());
    }

    private static int OpenFds() => Directory.GetFiles("/proc/self/fd").Length;
}
