using System.Numerics;
using CpuMap.Managed.Testing;

namespace CpuMap.Managed.Programs.Tests;

/// <summary>
/// The arithmetic behind every distribution assertion, checked for 1 to 256 CPUs against exact
/// integer arithmetic: P(Binomial(F, 1/n) &lt; t) = Σ_{k&lt;t} C(F, k) (n-1)^(F-k) / n^F.
/// </summary>
public sealed class FlowBoundTests
{
    public static TheoryData<int> CpuCounts()
    {
        var data = new TheoryData<int>();
        for (var cpus = 1; cpus <= 256; cpus++)
            data.Add(cpus);
        return data;
    }

    [Theory]
    [MemberData(nameof(CpuCounts))]
    public void Fair_share_plans_fail_a_fair_hash_less_than_once_in_a_million(int cpus)
    {
        var plan = FlowBound.FairShare(cpus, 0.5);
        AssertPlan(plan);
        Assert.True(plan.MinPerCpu * 2 >= (double)plan.Flows / cpus, $"{plan}: the threshold is below half the fair share");
        if (cpus > 1)
        {
            // Smallest: one flow fewer (with its own threshold) would not meet the bound.
            var fewer = plan.Flows - 1;
            var fewerMin = Math.Max(1, (int)Math.Ceiling(0.5 * fewer / cpus));
            Assert.True(fewer < FlowBound.MinimumFlows || Exact(fewer, cpus, fewerMin) * cpus * 1e6 >= 1 || fewerMin != plan.MinPerCpu,
                $"{plan}: {fewer} flows would do");
        }
    }

    [Theory]
    [MemberData(nameof(CpuCounts))]
    public void Every_cpu_gets_a_flow_plans_fail_a_fair_hash_less_than_once_in_a_million(int cpus)
    {
        var plan = FlowBound.AtLeast(cpus, 1);
        AssertPlan(plan);
        Assert.Equal(1, plan.MinPerCpu);
    }

    [Fact]
    public void The_tail_matches_known_values()
    {
        // Exact values from Python's integers: sum(comb(64, k) * (n-1)**(64-k) for k in range(16)) / n**64.
        Assert.Equal(1.2182286081466635e-05, FlowBound.LowerTail(64, 0.5, 16), 1e-15);
        Assert.Equal(0.4521310644042249, FlowBound.LowerTail(64, 0.25, 16), 1e-12);
        Assert.Equal(Math.Pow(0.75, 64), FlowBound.LowerTail(64, 0.25, 1), 1e-20);
        Assert.Equal((0.0, 1.0, 0.0, 1.0), (FlowBound.LowerTail(10, 1, 10), FlowBound.LowerTail(10, 0, 1), FlowBound.LowerTail(10, 0.5, 0), FlowBound.LowerTail(10, 0.5, 11)));
        // The finding: 64 flows, at least 16 each, over 4 CPUs fails about 3 runs in 4 (the
        // union bound overstates it, so only "more often than not" is checked).
        Assert.True(4 * FlowBound.LowerTail(64, 0.25, 16) > 0.5);
    }

    [Theory]
    // Smallest plans searched independently with Python's exact fractions (flows from 16 up, threshold
    // ceil(flows / 2 / n) for half the fair share, or 1 for "every CPU gets a flow"; n x tail < 1e-6).
    [InlineData(2, 88, 22, 21)]
    [InlineData(3, 173, 29, 37)]
    [InlineData(4, 256, 32, 53)]
    [InlineData(8, 620, 39, 120)]
    [InlineData(16, 1370, 43, 258)]
    [InlineData(64, 6252, 49, 1142)]
    public void Plans_match_an_independent_search(int cpus, int flows, int minPerCpu, int flowsForEveryCpu)
    {
        var plan = FlowBound.FairShare(cpus, 0.5);
        Assert.Equal((flows, minPerCpu), (plan.Flows, plan.MinPerCpu));
        Assert.Equal(flowsForEveryCpu, FlowBound.AtLeast(cpus, 1).Flows);
    }

    private static void AssertPlan(FlowPlan plan)
    {
        Assert.True(plan.Flows >= FlowBound.MinimumFlows && plan.MinPerCpu >= 1, plan.ToString());
        Assert.True(plan.MinPerCpu <= (plan.Flows + plan.Cpus - 1) / plan.Cpus, $"{plan}: a CPU cannot be promised more than its fair share");
        Assert.True(plan.FailureBound < FlowBound.FailureProbability, plan.ToString());
        // The double arithmetic against exact integers: the union bound really is below 1e-6 ...
        var exact = Exact(plan.Flows, plan.Cpus, plan.MinPerCpu);
        Assert.True(exact * plan.Cpus < FlowBound.FailureProbability, $"{plan}: exactly {exact * plan.Cpus:E3}");
        // ... and the computed tail is the exact one to 1e-9 relative (or both are 0 on one CPU).
        var computed = FlowBound.LowerTail(plan.Flows, 1.0 / plan.Cpus, plan.MinPerCpu);
        Assert.True(Math.Abs(computed - exact) <= 1e-9 * exact, $"{plan}: computed {computed:E6}, exact {exact:E6}");
    }

    /// <summary>P(Binomial(flows, 1/cpus) &lt; below) as the ratio of exact integers, then rounded once to a double.</summary>
    private static double Exact(int flows, int cpus, int below)
    {
        if (cpus == 1)
            return below > flows ? 1 : 0;
        // term(k) = C(flows, k) (cpus-1)^(flows-k); term(k+1) = term(k) (flows-k) / ((k+1)(cpus-1)), exactly.
        var term = BigInteger.Pow(cpus - 1, flows);
        var sum = BigInteger.Zero;
        for (var k = 0; k < below && k <= flows; k++)
        {
            sum += term;
            term = term * (flows - k) / ((k + 1) * (BigInteger)(cpus - 1));
        }
        var total = BigInteger.Pow(cpus, flows);
        // Scale before dividing so that the quotient keeps 60 significant bits whatever the magnitudes.
        var shift = (int)Math.Max(0, (long)total.GetBitLength() - (long)sum.GetBitLength() + 60);
        var scaled = (sum << shift) / total;
        return (double)scaled * Math.Pow(2, -shift);
    }
}
