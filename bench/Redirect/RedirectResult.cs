using CpuMap.Managed.Bench.Harness;

namespace CpuMap.Managed.Bench.Redirect;

/// <summary>One live-frames run of one program.</summary>
/// <param name="Program">"DSL" or "clang".</param>
/// <param name="Round">The round; each round runs both programs back to back, DSL first in odd rounds and clang first in even ones.</param>
/// <param name="XdpMpps">Frames the redirect program ran on, per second, in millions (frames / wall time of the test run).</param>
/// <param name="DeliveredMpps">Frames the remote CPUs' program counted, per the same wall time.</param>
public sealed record RedirectRun(string Program, int Round, double XdpMpps, double DeliveredMpps);

/// <summary>The redirect throughput comparison.</summary>
/// <param name="Runs">Every run, in the order they ran.</param>
/// <param name="DslInstructions">The DSL program's translated instructions (bpf_prog_info.xlated_prog_len / 8).</param>
/// <param name="ClangInstructions">The same for the clang-compiled program.</param>
/// <param name="DslSlots">Instruction slots the DSL program had as built (before the verifier's rewrites).</param>
/// <param name="ClangSlots">Instruction slots of the clang program in the object file.</param>
/// <param name="FramesPerRun">BPF_PROG_TEST_RUN's repeat.</param>
/// <param name="BatchSize">BPF_PROG_TEST_RUN's batch_size.</param>
/// <param name="Cpus">The CPUs frames were redirected to.</param>
public sealed record RedirectResult(
    IReadOnlyList<RedirectRun> Runs,
    uint DslInstructions,
    uint ClangInstructions,
    int DslSlots,
    int ClangSlots,
    uint FramesPerRun,
    uint BatchSize,
    IReadOnlyList<int> Cpus)
{
    public double MedianMpps(string program) => Statistics.Median(Runs.Where(r => r.Program == program).Select(r => r.XdpMpps));

    public double MedianDeliveredMpps(string program) => Statistics.Median(Runs.Where(r => r.Program == program).Select(r => r.DeliveredMpps));

    /// <summary>
    /// The median over rounds of DSL Mpps / clang Mpps: each ratio is of two runs made one after
    /// the other, so it survives the drift that makes absolute rates wander between rounds.
    /// </summary>
    public double MedianRatio => Statistics.Median(RoundRatios);

    /// <summary>Each round's DSL Mpps / clang Mpps, in round order.</summary>
    public IReadOnlyList<double> RoundRatios => Runs.Where(r => r.Program == RedirectThroughput.Dsl)
        .Join(Runs.Where(r => r.Program == RedirectThroughput.Clang), r => r.Round, r => r.Round, (dsl, clang) => dsl.XdpMpps / clang.XdpMpps)
        .ToArray();
}
