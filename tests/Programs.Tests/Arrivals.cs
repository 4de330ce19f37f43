using CpuMap.Managed.Syscalls;
using CpuMap.Managed.Syscalls.Maps;
using CpuMap.Managed.Programs.Remote;
using CpuMap.Managed.Programs.Traffic;

namespace CpuMap.Managed.Programs.Tests;

/// <summary>Where live frames arrive, seen through a <see cref="RemoteCpuCounter"/> in the CPUMAP entries.</summary>
internal static class Arrivals
{
    /// <summary>Long enough for a kernel thread on a busy 2-core VM to be scheduled.</summary>
    public static readonly TimeSpan Drain = TimeSpan.FromSeconds(10);

    private static readonly byte[] Frame = EthernetFrame.Udp();

    /// <summary>Sends <paramref name="copies"/> live copies of <paramref name="frame"/> through <paramref name="redirect"/> and returns the one CPU they all arrived on.</summary>
    public static int LandingCpu(ProgFd redirect, RemoteCpuCounter counter, byte[] frame, uint copies)
    {
        var before = counter.ReadCounts();
        var total = before.Sum() + copies;
        LiveFrames.Send(redirect, frame, copies);
        var after = counter.WaitForTotal(total, Drain);
        var landed = Enumerable.Range(0, after.Count).Where(cpu => after[cpu] != before[cpu]).ToArray();
        Assert.True(landed.Length == 1 && after[landed[0]] - before[landed[0]] == copies,
            $"all {copies} copies of one frame should arrive on one CPU; counts went from [{string.Join(',', before)}] to [{string.Join(',', after)}]");
        return landed[0];
    }

    /// <summary>Sends <paramref name="frames"/> live frames through <paramref name="redirect"/> one at a time and returns the CPU each arrived on.</summary>
    public static List<int> SendOneByOne(ProgFd redirect, RemoteCpuCounter counter, int frames)
    {
        var arrivals = new List<int>();
        var before = counter.ReadCounts();
        var total = before.Sum();
        for (var i = 0; i < frames; i++)
        {
            LiveFrames.Send(redirect, Frame, 1);
            var after = counter.WaitForTotal(++total, Drain);
            var arrived = Enumerable.Range(0, after.Count).Where(cpu => after[cpu] != before[cpu]).ToArray();
            Assert.True(arrived.Length == 1,
                $"frame {i} should arrive on exactly one CPU; counts went from [{string.Join(',', before)}] to [{string.Join(',', after)}]");
            Assert.Equal(before[arrived[0]] + 1, after[arrived[0]]);
            arrivals.Add(arrived[0]);
            before = after;
        }
        return arrivals;
    }
}
