using CpuMap.Managed.Programs;
using CpuMap.Managed.Programs.Redirect;

namespace CpuMap.Managed.Cli.Commands;

/// <summary>How attach and demo report a rebalancing step: one line per move, and the interval's imbalance.</summary>
internal static class RebalanceLog
{
    public static void Write(TextWriter output, RebalanceStep step)
    {
        foreach (var move in step.Moves)
            output.WriteLine($"rebalance: moved {move}");
        var drops = step.QueueDrops.Any(d => d > 0)
            ? $"; queue full: {string.Join(", ", step.Cpus.Select((c, i) => $"CPU {c} {step.QueueDrops[i]}").Where((_, i) => step.QueueDrops[i] > 0))}"
            : "";
        output.WriteLine(step.Moves.Count == 0
            ? $"rebalance: imbalance {step.ImbalanceBefore:F2}, nothing to move{drops}"
            : $"rebalance: imbalance {step.ImbalanceBefore:F2} -> {step.ImbalanceAfter:F2} on the interval's frames, {step.Moves.Count} bucket(s) moved{drops}");
        output.Flush();
    }
}
