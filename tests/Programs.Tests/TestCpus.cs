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
}
