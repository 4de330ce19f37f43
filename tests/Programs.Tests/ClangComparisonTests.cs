using CpuMap.Managed.Loader;
using CpuMap.Managed.Syscalls;
using CpuMap.Managed.Syscalls.Maps;
using CpuMap.Managed.Testing;
using CpuMap.Managed.Programs.Bytecode;
using CpuMap.Managed.Programs.Redirect;
using CpuMap.Managed.Programs.Remote;

namespace CpuMap.Managed.Programs.Tests;

/// <summary>
/// The DSL program beside clang -O2's build of the same C (tests/fixtures/src/round_robin.c, loaded
/// by src/Loader), in the kernel: same CPUs for the same frames. Their throughput is measured by the
/// benchmarks (bench/Redirect/RedirectThroughput.cs), not here: a test that only prints numbers cannot fail.
/// </summary>
public sealed class ClangComparisonTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("clang14")]
    [InlineData("clang19")]
    public void Dsl_and_clang_programs_send_each_frame_to_the_same_cpu(string compiler)
    {
        Kernel.RequireBpf();
        var cpus = TestCpus.TwoCpus();
        using var clangCounter = RemoteCpuCounter.Load(XdpAction.Drop);
        using var clang = LoadClang(compiler, cpus, clangCounter.Program);
        using var dslCounter = RemoteCpuCounter.Load(XdpAction.Drop);
        using var dsl = RoundRobinRedirect.Load();
        dsl.Configure(cpus, program: dslCounter.Program);
        using var pin = CpuAffinity.Pin(cpus[0]);

        var clangArrivals = Arrivals.SendOneByOne(clang.GetProgram(RoundRobinProgram.Name).Fd, clangCounter, 6);
        var dslArrivals = Arrivals.SendOneByOne(dsl.Program, dslCounter, 6);

        output.WriteLine($"{compiler}: [{string.Join(',', clangArrivals)}], DSL: [{string.Join(',', dslArrivals)}]");
        Assert.Equal(clangArrivals, dslArrivals);
        Assert.Equal([cpus[0], cpus[1], cpus[0], cpus[1], cpus[0], cpus[1]], dslArrivals);
    }

    /// <summary>Loads clang's object with nr_cpus = the list's length and fills its maps as <see cref="CpuRedirect.Configure(IReadOnlyList{int}, uint, ProgFd?)"/> does.</summary>
    private static BpfCollection LoadClang(string compiler, int[] cpus, ProgFd remote)
    {
        var collection = BpfObjectSpec.Open(ClangFixture.RoundRobin(compiler)).Set("nr_cpus", (uint)cpus.Length).Load();
        try
        {
            var cpuMap = BpfCpuMap.Open(collection.GetMap(RoundRobinProgram.CpuMapMap).Fd);
            var available = collection.GetMap(RoundRobinProgram.CpusAvailableMap).Fd;
            for (var i = 0; i < cpus.Length; i++)
            {
                cpuMap.Set(cpus[i], RoundRobinRedirect.DefaultQsize, remote);
                Bpf.MapUpdateElem(available, (uint)i, (uint)cpus[i]);
            }
            return collection;
        }
        catch
        {
            collection.Dispose();
            throw;
        }
    }
}
