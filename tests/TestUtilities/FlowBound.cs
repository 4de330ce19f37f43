namespace CpuMap.Managed.Testing;

/// <summary>
/// How many flows a distribution test needs, and how few may land on a CPU, so that a fair hash
/// fails the test less than once in a million runs on any number of CPUs.
/// <para>
/// With a hash that behaves like a uniform random choice, the flows one CPU receives out of
/// <c>flows</c> spread over <c>cpus</c> follow Binomial(flows, 1/cpus). The test fails when any CPU
/// gets fewer than <c>MinPerCpu</c>; by the union bound that happens with probability at most
/// cpus × P(Binomial(flows, 1/cpus) &lt; MinPerCpu), which <see cref="FlowPlan.FailureBound"/> holds
/// and the planners keep below <see cref="FailureProbability"/>.
/// </para>
/// </summary>
public static class FlowBound
{
    /// <summary>The most often a correct program may fail a distribution test.</summary>
    public const double FailureProbability = 1e-6;

    /// <summary>Fewest flows a plan uses, so that even one CPU sees a real spread of inputs.</summary>
    public const int MinimumFlows = 16;

    /// <summary>
    /// P(X &lt; <paramref name="below"/>) for X ~ Binomial(<paramref name="trials"/>, <paramref name="p"/>):
    /// the exact sum of the probability mass below the threshold, each term computed in log space
    /// (no underflow for tens of thousands of trials; relative error of a few ulps per term).
    /// </summary>
    public static double LowerTail(int trials, double p, int below)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(trials);
        if (p is < 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(p), p, "a probability is in [0, 1]");
        if (below <= 0)
            return 0;
        if (below > trials)
            return 1;
        if (p == 0)
            return 1;                       // X is always 0 < below
        if (p == 1)
            return 0;                       // X is always trials >= below
        // log pmf(k+1) = log pmf(k) + log((trials - k) / (k + 1)) + log(p / (1 - p))
        var logPmf = trials * Math.Log(1 - p);
        var logOdds = Math.Log(p) - Math.Log(1 - p);
        var sum = 0.0;
        for (var k = 0; k < below; k++)
        {
            sum += Math.Exp(logPmf);
            logPmf += Math.Log(trials - k) - Math.Log(k + 1) + logOdds;
        }
        return Math.Min(sum, 1);
    }

    /// <summary>
    /// The fewest flows (at least <see cref="MinimumFlows"/>) with which every one of
    /// <paramref name="cpus"/> CPUs gets at least <paramref name="minPerCpu"/> of them, but for a
    /// failure probability below <see cref="FailureProbability"/>.
    /// </summary>
    public static FlowPlan AtLeast(int cpus, int minPerCpu) => Smallest(cpus, _ => minPerCpu);

    /// <summary>
    /// The fewest flows (at least <see cref="MinimumFlows"/>) with which every one of
    /// <paramref name="cpus"/> CPUs gets at least <paramref name="fraction"/> of its fair share
    /// (flows / cpus, rounded up), but for a failure probability below <see cref="FailureProbability"/>.
    /// </summary>
    public static FlowPlan FairShare(int cpus, double fraction)
    {
        if (fraction is <= 0 or >= 1)
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "a fraction of the fair share in (0, 1)");
        return Smallest(cpus, flows => Math.Max(1, (int)Math.Ceiling(fraction * flows / cpus)));
    }

    private static FlowPlan Smallest(int cpus, Func<int, int> threshold)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cpus, 1);
        for (var flows = MinimumFlows; flows <= 1 << 20; flows++)
        {
            var min = threshold(flows);
            var bound = cpus * LowerTail(flows, 1.0 / cpus, min);
            if (bound < FailureProbability)
                return new FlowPlan(cpus, flows, min, bound);
        }
        throw new InvalidOperationException($"no flow count up to 2^20 meets the bound for {cpus} CPUs");
    }
}

/// <summary>
/// Send <paramref name="Flows"/> flows over <paramref name="Cpus"/> CPUs and require at least
/// <paramref name="MinPerCpu"/> on each; a fair hash fails that with probability at most <paramref name="FailureBound"/>.
/// </summary>
public readonly record struct FlowPlan(int Cpus, int Flows, int MinPerCpu, double FailureBound)
{
    public override string ToString() =>
        $"{Flows} flows over {Cpus} CPUs, at least {MinPerCpu} each (a fair hash falls short with probability <= {FailureBound:E2})";
}
