using CpuMap.Managed.Syscalls;

namespace CpuMap.Managed.Programs.Tests;

/// <summary>A flow-hash redirect over <c>cpus</c> (every possible CPU by default) with a counting remote program: where do a flow's frames land?</summary>
internal sealed class FlowLanding : IDisposable
{
    public FlowLanding(bool symmetric = false, int? nonIpCpu = null, int[]? cpus = null)
    {
        Counter = RemoteCpuCounter.Load();
        Redirect = FlowHashRedirect.Load(symmetric);
        Redirect.Configure(cpus ?? CpuList.Possible.ToArray(), CpuRedirect.DefaultQsize, Counter.Program, nonIpCpu);
    }

    public RemoteCpuCounter Counter { get; }

    public FlowHashRedirect Redirect { get; }

    /// <summary>Sends <paramref name="copies"/> live copies of <paramref name="frame"/> and returns the one CPU they all arrived on.</summary>
    public int Send(byte[] frame, uint copies = 32)
    {
        var before = Counter.ReadCounts();
        var total = before.Aggregate(0ul, (a, b) => a + b) + copies;
        LiveFrames.Send(Redirect.Program, frame, copies);
        var after = Counter.WaitForTotal(total, Arrivals.Drain);
        var landed = Enumerable.Range(0, after.Length).Where(cpu => after[cpu] != before[cpu]).ToArray();
        Assert.True(landed.Length == 1 && after[landed[0]] - before[landed[0]] == copies,
            $"all {copies} copies of one flow should arrive on one CPU; counts went from [{string.Join(',', before)}] to [{string.Join(',', after)}]");
        return landed[0];
    }

    public void Dispose()
    {
        Redirect.Dispose();
        Counter.Dispose();
    }
}
