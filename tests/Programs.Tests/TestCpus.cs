using CpuMap.Managed.Syscalls;
using CpuMap.Managed.Testing;

namespace CpuMap.Managed.Programs.Tests;

internal static class TestCpus
{
    /// <summary>The first two possible CPUs; the round-robin order can only be seen with two.</summary>
    public static int[] TwoCpus()
    {
        if (CpuList.Possible.Count < 2)
            Kernel.Unavailable($"the test needs two possible CPUs to alternate between; this machine has {CpuList.Possible}");
        return [CpuList.Possible[0], CpuList.Possible[1]];
    }

    /// <summary>
    /// The CPU sets distribution tests run over: every non-empty subset of the possible CPUs when there
    /// are at most three (this 2-CPU machine: {0}, {1}, {0,1}), else each end alone, the first two and all.
    /// </summary>
    public static IEnumerable<int[]> Subsets()
    {
        var possible = CpuList.Possible.ToArray();
        if (possible.Length <= 3)
        {
            for (var mask = 1; mask < 1 << possible.Length; mask++)
                yield return possible.Where((_, i) => (mask & 1 << i) != 0).ToArray();
            yield break;
        }
        yield return [possible[0]];
        yield return [possible[^1]];
        yield return [possible[0], possible[1]];
        yield return possible;
    }
}
