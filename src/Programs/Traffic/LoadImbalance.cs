namespace CpuMap.Managed.Programs.Traffic;

/// <summary>
/// How uneven a spread over CPUs is: the busiest CPU's share ÷ the fair share (1 / CPUs). 1.0 is perfectly even;
/// N on N CPUs means one CPU took everything.
/// </summary>
public static class LoadImbalance
{
    /// <summary>max(load) × count ÷ sum(load) over <paramref name="perCpu"/> (one value per CPU in use); 0 when nothing was counted.</summary>
    public static double Of(IReadOnlyCollection<ulong> perCpu)
    {
        ArgumentNullException.ThrowIfNull(perCpu);
        if (perCpu.Count == 0)
            return 0;
        var total = perCpu.Aggregate(0.0, (sum, x) => sum + x);
        return total == 0 ? 0 : perCpu.Max() * (double)perCpu.Count / total;
    }
}
