using System.Diagnostics;
using CpuMap.Managed.Bench.Harness;
using CpuMap.Managed.Loader;
using CpuMap.Managed.Programs;
using CpuMap.Managed.Syscalls;
using CpuMap.Managed.Syscalls.Maps;
using CpuMap.Managed.Programs.Redirect;
using CpuMap.Managed.Programs.Remote;

namespace CpuMap.Managed.Bench.Redirect;

/// <summary>
/// Redirect throughput without a NIC: BPF_PROG_TEST_RUN with BPF_F_TEST_XDP_LIVE_FRAMES really
/// redirects every frame into the CPUMAP and on to the remote CPUs' kernel threads. The DSL
/// round-robin program and the clang-compiled one run alternately (DSL, clang, clang, DSL, ...)
/// with the same CPUs, queue size and remote program, because rates on these VMs drift by 2×
/// over minutes and only runs made side by side compare.
/// </summary>
internal static class RedirectThroughput
{
    internal const string Dsl = "DSL";
    internal const string Clang = "clang";

    /// <summary>The largest batch the kernel takes (more gives E2BIG).</summary>
    private const uint BatchSize = 256;

    private const uint Qsize = RoundRobinRedirect.DefaultQsize;

    internal static RedirectResult Run(bool quick, TextWriter log)
    {
        var rounds = quick ? 1 : 6;
        var frames = quick ? 50_000u : 3_000_000u;
        var cpus = CpuList.Possible.ToArray();
        var frame = TestFrame.Build();

        // The remote CPUs count and drop: the frames' cost on the remote side is the same for both
        // programs and as small as it can be, so the rate is the redirect side's.
        using var counter = RemoteCpuCounter.Load(XdpAction.Drop);
        using var dsl = RoundRobinRedirect.Load();
        dsl.Configure(cpus, Qsize, counter.Program);
        using var clang = BpfObjectSpec.Open(Fixtures.RoundRobinObject).Set("nr_cpus", (uint)cpus.Length).Load();
        var clangProgram = clang.GetProgram("xdp_redir_cpu_round_robin");
        using (var clangCpuMap = BpfCpuMap.Open(clang.GetMap("cpu_map").Fd))
        {
            foreach (var cpu in cpus)
                clangCpuMap.Set(cpu, Qsize, counter.Program);
        }
        var cpusAvailable = clang.GetMap("cpus_available").Fd;
        for (var i = 0; i < cpus.Length; i++)
            Bpf.MapUpdateElem(cpusAvailable, (uint)i, (uint)cpus[i]);

        var programs = new[] { (Name: Dsl, Fd: dsl.Program), (Name: Clang, Fd: clangProgram.Fd) };
        // One short run each first: the CPUMAP kernel threads and the page pools warm up.
        foreach (var (_, fd) in programs)
            Measure(fd, frame, frames / 10, counter);

        var runs = new List<RedirectRun>();
        for (var round = 1; round <= rounds; round++)
        {
            // DSL first in odd rounds, clang first in even ones: neither always runs on the warmer machine.
            foreach (var (name, fd) in round % 2 == 1 ? programs : Enumerable.Reverse(programs))
            {
                var run = Measure(fd, frame, frames, counter) with { Program = name, Round = round };
                log.WriteLine($"// redirect round {round}: {name,-5} {run.XdpMpps:F2} Mpps at the XDP program, {run.DeliveredMpps:F2} Mpps delivered");
                runs.Add(run);
            }
        }

        return new RedirectResult(
            runs,
            DslInstructions: Bpf.ObjGetInfoByFd(dsl.Program).XlatedProgLen / Bpf.InstructionSize,
            ClangInstructions: Bpf.ObjGetInfoByFd(clangProgram.Fd).XlatedProgLen / Bpf.InstructionSize,
            DslSlots: dsl.Instructions!.SlotCount,
            ClangSlots: clangProgram.Program.InstructionCount,
            FramesPerRun: frames,
            BatchSize: BatchSize,
            Cpus: cpus);
    }

    internal static RedirectRun Measure(ProgFd program, byte[] frame, uint frames, RemoteCpuCounter counter)
    {
        counter.Reset();
        var start = Stopwatch.GetTimestamp();
        Bpf.ProgTestRun(program, frame, repeat: frames, flags: BpfTestRunFlags.XdpLiveFrames, batchSize: BatchSize);
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var delivered = Settled(counter);
        return new RedirectRun("", 0, frames / seconds / 1e6, delivered / seconds / 1e6);
    }

    /// <summary>
    /// The remote count once the queues have drained: frames wait in the CPUMAP queues until each
    /// remote CPU's kernel thread runs. Frames dropped at a full queue never arrive, so this waits
    /// for the count to stop moving rather than for it to reach the frames sent.
    /// </summary>
    private static ulong Settled(RemoteCpuCounter counter)
    {
        var last = counter.ReadTotal();
        for (var i = 0; i < 100; i++)
        {
            Thread.Sleep(10);
            var now = counter.ReadTotal();
            if (now == last)
                return now;
            last = now;
        }
        return last;
    }
}
