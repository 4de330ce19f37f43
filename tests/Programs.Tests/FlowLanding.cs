using CpuMap.Managed.Syscalls;
using CpuMap.Managed.Programs.Redirect;
using CpuMap.Managed.Programs.Remote;

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
    public int Send(byte[] frame, uint copies = 32) => Arrivals.LandingCpu(Redirect.Program, Counter, frame, copies);

    public void Dispose()
    {
        Redirect.Dispose();
        Counter.Dispose();
    }
}
