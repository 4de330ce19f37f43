using CpuMap.Managed.Syscalls;
using CpuMap.Managed.Testing;
using CpuMap.Managed.Programs.Bytecode;
using CpuMap.Managed.Programs.Redirect;
using CpuMap.Managed.Programs.Remote;
using CpuMap.Managed.Programs.Traffic;

namespace CpuMap.Managed.Programs.Tests;

/// <summary>The DSL round-robin program in the real kernel: verifier, BPF_PROG_TEST_RUN, configuration errors.</summary>
public sealed class RoundRobinRedirectTests
{
    private static readonly byte[] Frame = EthernetFrame.Udp();

    [Fact]
    public void Passes_the_verifier_and_creates_the_seeds_maps()
    {
        Kernel.RequireBpf();
        using var redirect = RoundRobinRedirect.Load();

        Assert.Equal(BpfProgType.Xdp, redirect.Program.Type);
        Assert.Null(redirect.Program.LoadAttributes!.ExpectedAttachType);
        Assert.Equal((uint)(CpuList.Possible[^1] + 1), redirect.CpuMap.MaxEntries);
        Assert.Equal(RoundRobinProgram.CpuMapMap, redirect.CpuMap.Fd.Name);
        Assert.Equal((BpfMapType.Array, (uint)CpuList.Possible.Count), (redirect.CpusAvailable.Type, redirect.CpusAvailable.MaxEntries));
        Assert.Equal((BpfMapType.PercpuArray, 1u), (redirect.CpusIterator.Type, redirect.CpusIterator.MaxEntries));
        Assert.Equal((BpfMapType.Array, 1u), (redirect.NrCpus!.Type, redirect.NrCpus.MaxEntries));
        Assert.Empty(redirect.Cpus);
    }

    [Fact]
    public void Test_run_redirects_and_the_iterator_walks_0_1_0_1_over_two_cpus()
    {
        Kernel.RequireBpf();
        var cpus = TestCpus.TwoCpus();
        using var redirect = RoundRobinRedirect.Load();
        redirect.Configure(cpus);
        using var pin = CpuAffinity.Pin(cpus[0]);

        var positions = new List<ulong>();
        for (var run = 0; run < 4; run++)
        {
            positions.Add(redirect.ReadIterators()[pin.Cpu]);
            Assert.Equal(XdpAction.Redirect, Bpf.ProgTestRun(redirect.Program, Frame).XdpAction);
        }
        Assert.Equal([0ul, 1, 0, 1], positions);
        Assert.Equal(0ul, redirect.ReadIterators()[pin.Cpu]);
    }

    [Fact]
    public void With_one_configured_cpu_the_iterator_stays_at_0_and_frames_redirect()
    {
        Kernel.RequireBpf();
        var cpu = CpuList.Possible[^1];
        using var redirect = RoundRobinRedirect.Load();
        redirect.Configure([cpu]);
        using var pin = CpuAffinity.Pin(CpuList.Possible[0]);

        for (var run = 0; run < 3; run++)
        {
            Assert.Equal(XdpAction.Redirect, Bpf.ProgTestRun(redirect.Program, Frame).XdpAction);
            Assert.Equal(0ul, redirect.ReadIterators()[pin.Cpu]);
        }
        Assert.Equal([cpu], redirect.Cpus);
        Assert.Equal(cpu, Assert.Single(redirect.CpuMap.Entries()).Cpu);
    }

    [Fact]
    public void Unconfigured_program_aborts_every_frame()
    {
        Kernel.RequireBpf();
        using var redirect = RoundRobinRedirect.Load();
        // nr_cpus 0, cpus_available all CPU 0, no CPUMAP entry: bpf_redirect_map finds nothing.
        Assert.Equal(XdpAction.Aborted, Bpf.ProgTestRun(redirect.Program, Frame).XdpAction);
    }

    [Fact]
    public void A_cpu_beyond_cpu_map_aborts_as_the_seeds_bound_check_would()
    {
        Kernel.RequireBpf();
        using var redirect = RoundRobinRedirect.Load();
        redirect.Configure([CpuList.Possible[0]]);
        // What the seed's "if (cpu_dest >= bpf_num_possible_cpus()) return XDP_ABORTED" guards against,
        // written behind Configure's back: bpf_redirect_map's own lookup refuses the key.
        Bpf.MapUpdateElem(redirect.CpusAvailable, 0u, redirect.CpuMap.MaxEntries + 100);
        Assert.Equal(XdpAction.Aborted, Bpf.ProgTestRun(redirect.Program, Frame).XdpAction);
        Bpf.MapUpdateElem(redirect.CpusAvailable, 0u, redirect.CpuMap.MaxEntries);
        Assert.Equal(XdpAction.Aborted, Bpf.ProgTestRun(redirect.Program, Frame).XdpAction);
    }

    [Fact]
    public void Reconfiguring_removes_entries_of_cpus_no_longer_listed_and_wraps_at_the_new_count()
    {
        Kernel.RequireBpf();
        var cpus = TestCpus.TwoCpus();
        using var redirect = RoundRobinRedirect.Load();
        redirect.Configure(cpus, qsize: 512);
        Assert.Equal(cpus, redirect.CpuMap.Entries().Select(e => e.Cpu));
        Assert.All(redirect.CpuMap.Entries(), e => Assert.Equal(512u, e.Qsize));

        using var pin = CpuAffinity.Pin(cpus[0]);
        Bpf.ProgTestRun(redirect.Program, Frame); // this CPU's iterator is now at position 1
        redirect.Configure([cpus[1]]);

        Assert.Equal([cpus[1]], redirect.CpuMap.Entries().Select(e => e.Cpu));
        Assert.Equal(1u, Lookup(redirect.NrCpus!, 0));
        // Position 1 is beyond the new list of one: it reads a stale slot once, then wraps to 0 and stays there.
        Bpf.ProgTestRun(redirect.Program, Frame);
        Assert.Equal(0ul, redirect.ReadIterators()[pin.Cpu]);
        Assert.Equal(XdpAction.Redirect, Bpf.ProgTestRun(redirect.Program, Frame).XdpAction);
        Assert.Equal(0ul, redirect.ReadIterators()[pin.Cpu]);
    }

    [Fact]
    public void Remote_program_is_set_on_every_configured_cpu()
    {
        Kernel.RequireBpf();
        using var counter = RemoteCpuCounter.Load();
        using var redirect = RoundRobinRedirect.Load();
        redirect.Configure(CpuList.Possible.ToArray(), program: counter.Program);

        Assert.All(redirect.CpuMap.Entries(), e => Assert.Equal((counter.Program.Id, RoundRobinRedirect.DefaultQsize), (e.ProgId, e.Qsize)));
        Assert.Equal(CpuList.Possible.Count, redirect.CpuMap.Entries().Count());
    }

    // ---- bad input: each names the input, the cause and the fix, and changes nothing ----

    [Fact]
    public void Empty_cpu_list_is_refused()
    {
        Kernel.RequireBpf();
        using var redirect = RoundRobinRedirect.Load();
        var e = Assert.Throws<ArgumentException>(() => redirect.Configure([]));
        Assert.Equal("cpus", e.ParamName);
        Assert.Contains("The CPU list is empty", e.Message);
        Assert.Contains("give at least one of the possible CPUs", e.Message);
        Assert.Throws<ArgumentNullException>(() => redirect.Configure(null!));
        AssertUnconfigured(redirect);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(4095)]
    [InlineData(int.MaxValue)]
    public void Impossible_cpu_is_refused(int impossible)
    {
        Kernel.RequireBpf();
        using var redirect = RoundRobinRedirect.Load();
        var e = Assert.Throws<ArgumentException>(() => redirect.Configure([CpuList.Possible[0], impossible]));
        Assert.Equal("cpus", e.ParamName);
        Assert.Contains($"CPU {impossible} is not a possible CPU", e.Message);
        Assert.Contains(CpuList.Possible.ToString(), e.Message);
        Assert.Contains("remove it from the list", e.Message);
        AssertUnconfigured(redirect);
    }

    [Fact]
    public void Duplicate_cpu_is_refused()
    {
        Kernel.RequireBpf();
        var cpu = CpuList.Possible[0];
        using var redirect = RoundRobinRedirect.Load();
        var e = Assert.Throws<ArgumentException>(() => redirect.Configure([cpu, cpu]));
        Assert.Equal("cpus", e.ParamName);
        Assert.Contains($"CPU {cpu} appears more than once", e.Message);
        Assert.Contains("list each CPU once", e.Message);
        AssertUnconfigured(redirect);
    }

    [Theory]
    [InlineData(0u, "Remove")]
    [InlineData(16385u, "EOVERFLOW")]
    [InlineData(uint.MaxValue, "EOVERFLOW")]
    public void Qsize_out_of_range_is_refused(uint qsize, string explanation)
    {
        Kernel.RequireBpf();
        using var redirect = RoundRobinRedirect.Load();
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => redirect.Configure([CpuList.Possible[0]], qsize));
        Assert.Equal("qsize", e.ParamName);
        Assert.Contains(explanation, e.Message);
        Assert.Contains("1 to 16384", e.Message);
        AssertUnconfigured(redirect);
    }

    [Fact]
    public void Remote_program_without_the_cpumap_attach_type_is_refused()
    {
        Kernel.RequireBpf();
        using var redirect = RoundRobinRedirect.Load();
        using var other = RoundRobinRedirect.Load();
        var e = Assert.Throws<ArgumentException>(() => redirect.Configure([CpuList.Possible[0]], program: other.Program));
        Assert.Equal("program", e.ParamName);
        Assert.Contains("BPF_XDP_CPUMAP", e.Message);
        AssertUnconfigured(redirect);
    }

    [Fact]
    public void Disposed_object_refuses_use()
    {
        Kernel.RequireBpf();
        var redirect = RoundRobinRedirect.Load();
        redirect.Dispose();
        redirect.Dispose(); // twice is harmless
        Assert.Throws<ObjectDisposedException>(() => redirect.Configure([CpuList.Possible[0]]));
        Assert.Throws<ObjectDisposedException>(() => Bpf.ProgTestRun(redirect.Program, Frame));
    }

    private static void AssertUnconfigured(RoundRobinRedirect redirect)
    {
        Assert.Empty(redirect.Cpus);
        Assert.Empty(redirect.CpuMap.Entries());
        Assert.Equal(0u, Lookup(redirect.NrCpus!, 0));
    }

    private static uint Lookup(MapFd map, uint key) => Bpf.MapLookupElem(map, key, out uint value) ? value : throw new KeyNotFoundException();
}
