using BpfAsm;
using CpuMap.Managed.Syscalls;
using CpuMap.Managed.Syscalls.Maps;
using CpuMap.Managed.Programs.Remote;

namespace CpuMap.Managed.Programs.Redirect;

/// <summary>
/// What every CPUMAP redirect program of this project has: the CPUMAP (one slot per possible CPU),
/// the list of configured CPUs (cpus_available and its length nr_cpus), the loaded XDP program, and
/// <see cref="Configure"/>, which sets the CPUMAP entries and the list in an order a running program
/// can never see half-done. <see cref="RoundRobinRedirect"/> and <see cref="FlowHashRedirect"/> differ
/// only in how the program picks a position in the list.
/// </summary>
public abstract class CpuRedirect : IDisposable
{
    /// <summary>The queue size xdp-bench redirect-cpu uses by default.</summary>
    public const uint DefaultQsize = 2048;

    private readonly IDisposable[] _owned;
    private int[] _cpus = [];
    private bool _disposed;

    private protected CpuRedirect(RedirectMaps maps, MapFd? stats, BpfProgram? instructions, ProgFd program)
    {
        Stats = stats;
        CpuMap = maps.CpuMap;
        CpusAvailable = maps.CpusAvailable;
        NrCpus = maps.NrCpus;
        Instructions = instructions;
        Program = program;
        _owned = [program, .. maps.Owned];
    }

    /// <summary>cpu_map: the CPUMAP frames are redirected into; max_entries = highest possible CPU + 1.</summary>
    public BpfCpuMap CpuMap { get; }

    /// <summary>cpus_available: ARRAY of the configured CPUs, by position.</summary>
    public MapFd CpusAvailable { get; }

    /// <summary>
    /// nr_cpus: one-entry ARRAY read as global data: the number of configured CPUs; null for a user's object whose count
    /// is read-only data set at load (<see cref="ObjectRedirect"/>).
    /// </summary>
    public MapFd? NrCpus { get; }

    /// <summary>redirect_stats: the program's per-CPU counters (see <see cref="RedirectStats"/>), or null when it counts nothing.</summary>
    public MapFd? Stats { get; }

    /// <summary>The DSL program as built, before its maps were bound (for listings and counts); null for a user's object.</summary>
    public BpfProgram? Instructions { get; }

    /// <summary>The loaded XDP program: attach it to a device, or run it with BPF_PROG_TEST_RUN.</summary>
    public ProgFd Program { get; }

    /// <summary>The CPUs frames are sent to, in list order; empty until <see cref="Configure"/>.</summary>
    public IReadOnlyList<int> Cpus => _cpus;

    /// <summary>How the program picks a CPU; null for a user's own program (<see cref="ObjectRedirect"/>).</summary>
    public abstract RssMode? Mode { get; }

    /// <summary>A short name of the way the program picks a CPU, for tables and errors ("round-robin", "flow-hash (symmetric)", "program x.o:prog").</summary>
    public abstract override string ToString();

    /// <summary>
    /// Sends frames to <paramref name="cpus"/>: sets a CPUMAP entry (queue of <paramref name="qsize"/>
    /// frames, optional remote <paramref name="program"/>) for each, writes the list and its length,
    /// and removes the entries of CPUs configured before but not now. Entries come first and the
    /// length last, so a running program never picks a CPU without a queue.
    /// </summary>
    /// <param name="cpus">Distinct possible CPUs, at least one.</param>
    /// <param name="qsize">Frames each remote CPU's queue holds, 1..16384.</param>
    /// <param name="program">
    /// The XDP program each remote CPU runs on the frames it receives (loaded with expected attach type
    /// BPF_XDP_CPUMAP, e.g. <see cref="RemoteCpuCounter.Program"/> or <see cref="RemoteObjectProgram.Program"/>),
    /// or null for none. Named as in <c>BpfCpuMap.Set</c>.
    /// </param>
    public void Configure(IReadOnlyList<int> cpus, uint qsize = DefaultQsize, ProgFd? program = null) =>
        ConfigureEntries(cpus, qsize, program, WriteModeSettings);

    /// <summary>
    /// The program's counters, indexed by the number of the CPU that ran it (where the frame came in, not
    /// where it went). Throws when the program was loaded without them.
    /// </summary>
    public PerCpuValues<RedirectCounters> ReadStats()
    {
        ThrowIfDisposed();
        if (Stats is null)
            throw new InvalidOperationException(
                $"This {this} program was loaded without counters; load it with countStats: true (RoundRobinRedirect.Load(countStats: true)) to read them.");
        return RedirectStats.Read(Stats);
    }

    /// <summary>Closes the program and the maps.</summary>
    public void Dispose()
    {
        _disposed = true;
        foreach (var resource in _owned)
            resource.Dispose();
    }

    /// <summary>The core of <see cref="Configure(IReadOnlyList{int}, uint, ProgFd?)"/>; <paramref name="beforeLength"/>
    /// writes a mode's own settings once the new entries exist and before the new length makes them visible.</summary>
    private protected void ConfigureEntries(IReadOnlyList<int> cpus, uint qsize, ProgFd? program, Action<int[]> beforeLength)
    {
        ThrowIfDisposed();
        CheckCpus(cpus);
        var next = cpus.ToArray();
        CheckConfiguration(next);
        // BpfCpuMap.Set checks qsize and the program before any change, so a bad one leaves everything as it was.
        foreach (var cpu in next)
            CpuMap.Set(cpu, qsize, program);
        for (var i = 0; i < next.Length; i++)
            Bpf.MapUpdateElem(CpusAvailable, (uint)i, (uint)next[i]);
        beforeLength(next);
        if (NrCpus is not null)
            Bpf.MapUpdateElem(NrCpus, 0u, (uint)next.Length);
        foreach (var cpu in _cpus)
            if (Array.IndexOf(next, cpu) < 0)
                CpuMap.Remove(cpu);
        _cpus = next;
    }

    /// <summary>Writes a mode's own settings for the new list (called with the entries set, before the length).</summary>
    private protected virtual void WriteModeSettings(int[] cpus) { }

    /// <summary>Refuses a list the redirect cannot take, before anything changes.</summary>
    private protected virtual void CheckConfiguration(int[] cpus) { }

    private protected void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    private void CheckCpus(IReadOnlyList<int> cpus)
    {
        ArgumentNullException.ThrowIfNull(cpus);
        if (!CpuList.IsValidSelection(cpus, out var reason))
            throw new ArgumentException(reason, nameof(cpus));
        foreach (var cpu in cpus)
            if (!CpuMap.IsValidKey(cpu, out var notAKey))
                throw new ArgumentOutOfRangeException(nameof(cpus), cpu, notAKey);
    }
}
