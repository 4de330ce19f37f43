using CpuMap.Managed.Loader;
using CpuMap.Managed.Syscalls.Maps;
using CpuMap.Managed.Syscalls;
using System.Diagnostics;
using CpuMap.Managed.Programs.Bytecode;

namespace CpuMap.Managed.Programs.Remote;

/// <summary>
/// <see cref="RemoteCpuCountProgram"/> loaded with expected attach type BPF_XDP_CPUMAP, with its
/// per-CPU counter map: give <see cref="Program"/> to CPUMAP entries, then read where frames arrived.
/// Disposing closes the program and the map (CPUMAP entries that use the program keep it alive).
/// </summary>
public sealed class RemoteCpuCounter : IDisposable
{
    private RemoteCpuCounter(XdpAction action, MapFd remotePackets, ProgFd program)
    {
        Action = action;
        RemotePackets = remotePackets;
        Program = program;
    }

    /// <summary>What the program returns for every frame: XDP_PASS or XDP_DROP.</summary>
    public XdpAction Action { get; }

    /// <summary>The counters: PERCPU_ARRAY, one __u64 per CPU.</summary>
    public MapFd RemotePackets { get; }

    /// <summary>The program, for <c>BpfCpuMap.Set(cpu, qsize, program)</c>.</summary>
    public ProgFd Program { get; }

    /// <summary>Creates the counter map and loads the program that ends each frame with <paramref name="action"/>.</summary>
    /// <param name="action">XDP_PASS (frames go on to the network stack) or XDP_DROP (counted, then freed).</param>
    public static RemoteCpuCounter Load(XdpAction action = XdpAction.Pass)
    {
        RemoteCpuCountProgram.CheckAction(action);
        var map = Bpf.MapCreate(BpfMapType.PercpuArray, sizeof(uint), sizeof(ulong), 1, name: RemoteCpuCountProgram.RemotePacketsMap);
        try
        {
            var program = DslProgramLoader.Load(RemoteCpuCountProgram.Build(action), RemoteCpuCountProgram.Name, [map],
                BpfAttachType.XdpCpumap);
            return new RemoteCpuCounter(action, map, program);
        }
        catch
        {
            map.Dispose();
            throw;
        }
    }

    /// <summary>Frames counted so far, indexed by CPU number (<c>counts[cpu]</c>).</summary>
    public PerCpuValues<ulong> ReadCounts() => PerCpuArray<ulong>.Open(RemotePackets).Get(0);

    /// <summary>Frames counted so far on all CPUs.</summary>
    public ulong ReadTotal() => ReadCounts().Sum();

    /// <summary>Sets every CPU's count to 0.</summary>
    public void Reset() => PerCpuArray<ulong>.Open(RemotePackets).Clear(0);

    /// <summary>
    /// Waits until the counts add up to at least <paramref name="total"/> or <paramref name="timeout"/>
    /// passes, and returns the counts. Redirected frames sit in the CPUMAP queues until each remote
    /// CPU's kernel thread runs, so counts lag the redirect by up to a scheduling period.
    /// </summary>
    public PerCpuValues<ulong> WaitForTotal(ulong total, TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.Zero);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var counts = ReadCounts();
            if (counts.Sum() >= total || clock.Elapsed >= timeout)
                return counts;
            Thread.Sleep(1);
        }
    }

    /// <summary>Closes the program and the counter map.</summary>
    public void Dispose()
    {
        Program.Dispose();
        RemotePackets.Dispose();
    }
}
