using CpuMap.Managed.Bench.Harness;

namespace CpuMap.Managed.Bench.Redirect;

/// <summary>The flow-hash throughput comparison (<see cref="FlowHashThroughput"/>).</summary>
/// <param name="Runs">Every run, in the order they ran; each round runs every program once.</param>
/// <param name="Instructions">Each program's translated instructions (bpf_prog_info.xlated_prog_len / 8).</param>
public sealed record FlowHashResult(IReadOnlyList<RedirectRun> Runs, IReadOnlyDictionary<string, uint> Instructions)
{
    public double MedianMpps(string program) => Statistics.Median(Runs.Where(r => r.Program == program).Select(r => r.XdpMpps));

    /// <summary>Each round's <paramref name="a"/> Mpps ÷ <paramref name="b"/>'s, the two from the same round, in round order.</summary>
    public IReadOnlyList<double> RoundRatios(string a, string b) => Runs.Where(r => r.Program == a)
        .Join(Runs.Where(r => r.Program == b), r => r.Round, r => r.Round, (x, y) => x.XdpMpps / y.XdpMpps).ToArray();

    /// <summary>The median over rounds of <paramref name="a"/>'s Mpps ÷ <paramref name="b"/>'s.</summary>
    public double MedianRatio(string a, string b) => Statistics.Median(RoundRatios(a, b));
}
