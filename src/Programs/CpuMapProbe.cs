using System.Diagnostics;
using CpuMap.Managed.Syscalls;
using CpuMap.Managed.Syscalls.Maps;
using CpuMap.Managed.Programs.Bytecode;
using CpuMap.Managed.Programs.Redirect;
using CpuMap.Managed.Programs.Remote;

namespace CpuMap.Managed.Programs;

/// <summary>What <see cref="CpuMapProbe.Run"/> found.</summary>
/// <param name="Possible">The possible CPUs (/sys/devices/system/cpu/possible): the CPUMAP's keys.</param>
/// <param name="Online">The CPUs online now.</param>
/// <param name="MapId">The probe CPUMAP's id while it existed.</param>
/// <param name="MaxEntries">Its max_entries: highest possible CPU + 1.</param>
/// <param name="Layout">The value layout the kernel accepted (8 bytes with a remote program since Linux 5.9).</param>
/// <param name="Entries">The entries as the kernel reported them back: qsize and remote program id.</param>
/// <param name="SetTime">The time to set every entry; each starts a kernel thread on its CPU.</param>
/// <param name="EntriesAfterRemove">Entries left after removing them all (0 when removal worked).</param>
public sealed record CpuMapProbeReport(CpuList Possible, CpuList Online, uint MapId, uint MaxEntries, CpuMapValueLayout Layout,
    IReadOnlyList<CpuMapEntry> Entries, TimeSpan SetTime, int EntriesAfterRemove);

/// <summary>
/// The smallest complete use of a CPUMAP: create one with a slot per possible CPU, set an entry for
/// every possible CPU, read them back, remove them and close the map. It shows that this machine
/// and process can use CPUMAP redirect at all, and what the kernel reports.
/// </summary>
public static class CpuMapProbe
{
    /// <summary>The probe map's name, as bpftool map show lists it while the probe runs.</summary>
    public const string MapName = "cpumap_probe";

    /// <summary>Runs the probe. Needs root (or CAP_BPF and CAP_NET_ADMIN); bpf(2) refusals throw <see cref="BpfException"/>.</summary>
    /// <param name="qsize">The queue size of every entry, 1..16384.</param>
    /// <param name="remoteAction">When given, every entry also runs <see cref="RemoteCpuCountProgram"/> ending with this action (XDP_PASS or XDP_DROP).</param>
    public static CpuMapProbeReport Run(uint qsize = RoundRobinRedirect.DefaultQsize, XdpAction? remoteAction = null)
    {
        if (remoteAction is { } action)
            RemoteCpuCountProgram.CheckAction(action);
        var possible = CpuList.Possible;
        var online = CpuList.ReadOnline();
        using var counter = remoteAction is { } a ? RemoteCpuCounter.Load(a) : null;
        using var map = BpfCpuMap.Create(name: MapName);
        var clock = Stopwatch.StartNew();
        foreach (var cpu in possible)
            map.Set(cpu, qsize, counter?.Program);
        var setTime = clock.Elapsed;
        var entries = map.Entries().ToArray();
        foreach (var cpu in possible)
            map.Remove(cpu);
        return new CpuMapProbeReport(possible, online, map.Fd.Id, map.MaxEntries, map.Layout, entries, setTime, map.Entries().Count());
    }
}
