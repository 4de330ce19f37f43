using System.Diagnostics.CodeAnalysis;

namespace CpuMap.Managed.Syscalls.Maps;

/// <summary>
/// A typed BPF_MAP_TYPE_CPUMAP: key = CPU number, value = queue size and optional remote XDP
/// program. Checks every argument before the call and turns the kernel's misleading answers
/// into explanations after it. (Not named CpuMap: that name is this project's root namespace,
/// and would hide the type from every caller inside it.)
/// </summary>
public sealed class BpfCpuMap : IDisposable
{
    /// <summary>The largest queue size the kernel accepts (larger gives EOVERFLOW).</summary>
    public const uint MaxQsize = 16384;

    private readonly bool _ownsFd;

    /// <summary>The frags setting of the first remote program this object set, when its load attributes were known.</summary>
    private bool? _fragsOfFirstProgram;

    private BpfCpuMap(MapFd fd, bool ownsFd)
    {
        Fd = fd;
        _ownsFd = ownsFd;
        Layout = (CpuMapValueLayout)fd.ValueSize;
    }

    /// <summary>The map's fd, e.g. to reference it from a redirect program.</summary>
    public MapFd Fd { get; }

    /// <summary>The map's max_entries: keys (CPUs) must be below it.</summary>
    public uint MaxEntries => Fd.MaxEntries;

    /// <summary>Whether entries carry a remote program (8-byte value) or only a queue size (4-byte value).</summary>
    public CpuMapValueLayout Layout { get; }

    /// <summary>
    /// The value layout this kernel accepts: 8 bytes where <see cref="KernelFeatures.CpuMapPrograms"/> finds them
    /// (Linux 5.9+), else 4. The probe (a one-entry CPUMAP) runs once per process.
    /// </summary>
    public static CpuMapValueLayout SupportedLayout =>
        KernelFeatures.CpuMapPrograms.State == FeatureState.Missing ? CpuMapValueLayout.Qsize : CpuMapValueLayout.QsizeAndProg;

    /// <summary>Creates a CPUMAP.</summary>
    /// <param name="maxEntries">
    /// max_entries; by default the highest possible CPU + 1, which is the number of possible CPUs
    /// unless the possible list has holes, and makes every possible CPU a valid key.
    /// </param>
    /// <param name="name">The map name (up to 15 characters).</param>
    /// <param name="layout">The value layout; by default the one <see cref="SupportedLayout"/> probes.</param>
    public static BpfCpuMap Create(uint? maxEntries = null, string? name = null, CpuMapValueLayout? layout = null)
    {
        if (maxEntries is 0)
            throw new ArgumentOutOfRangeException(nameof(maxEntries), maxEntries,
                "A CPUMAP needs max_entries of at least 1 (the kernel answers EINVAL to 0); pass null for one slot per possible CPU.");
        if (layout is { } l && !Enum.IsDefined(l))
            throw new ArgumentOutOfRangeException(nameof(layout), layout, "The CPUMAP value layout is 4 (qsize) or 8 (qsize and program) bytes.");
        var possible = CpuList.Possible;
        var entries = maxEntries ?? (uint)CpuList.NrCpuIds;
        var valueSize = (uint)(layout ?? SupportedLayout);
        var fd = Bpf.MapCreate(BpfMapType.Cpumap, sizeof(uint), valueSize, entries, name: name);
        return new BpfCpuMap(fd, ownsFd: true);
    }

    /// <summary>
    /// Wraps an existing CPUMAP fd (e.g. one a loader created) without taking ownership:
    /// disposing this object leaves <paramref name="map"/> open.
    /// </summary>
    public static BpfCpuMap Open(MapFd map)
    {
        BpfFd.ThrowIfClosed(map, nameof(map));
        if (map.Type != BpfMapType.Cpumap || map.KeySize != 4 || map.ValueSize is not (4 or 8))
            throw new ArgumentException(
                $"The {map} has key size {map.KeySize} and value size {map.ValueSize}; a CPUMAP has type BPF_MAP_TYPE_CPUMAP, " +
                "a 4-byte key and a 4- or 8-byte value. Pass a CPUMAP's fd.", nameof(map));
        return new BpfCpuMap(map, ownsFd: false);
    }

    /// <summary>
    /// Whether <paramref name="qsize"/> is a queue size an entry can be set with (1 to <see cref="MaxQsize"/>), and if not,
    /// why and what to pass instead: the one rule for queue sizes, for callers that check input before they set an entry.
    /// </summary>
    public static bool IsValidQsize(uint qsize, [NotNullWhen(false)] out string? reason)
    {
        reason = qsize == 0 ? CpuMapErrors.QsizeZero : qsize > MaxQsize ? CpuMapErrors.QsizeTooLarge(qsize) : null;
        return reason is null;
    }

    /// <summary>
    /// Whether <paramref name="cpu"/> can have an entry in this map (a possible CPU below <see cref="MaxEntries"/>), and if not,
    /// why and what to do instead.
    /// </summary>
    public bool IsValidKey(int cpu, [NotNullWhen(false)] out string? reason)
    {
        reason = NotAKey(cpu) ?? (CpuList.Possible.Contains(cpu) ? null : CpuMapErrors.CpuNotPossible(cpu));
        return reason is null;
    }

    /// <summary>
    /// Sets the entry of <paramref name="cpu"/>: frames redirected to it are queued
    /// (<paramref name="qsize"/> deep) and, when <paramref name="program"/> is given, run through
    /// that XDP program on <paramref name="cpu"/>. Each update starts a kernel thread (~60 µs).
    /// </summary>
    /// <param name="cpu">A possible CPU below <see cref="MaxEntries"/>.</param>
    /// <param name="qsize">1 to 16384 frames.</param>
    /// <param name="program">An XDP program loaded with expected attach type BPF_XDP_CPUMAP, or null.</param>
    /// <param name="flags"><see cref="BpfUpdateFlags.Any"/> or <see cref="BpfUpdateFlags.Exist"/>.</param>
    public void Set(int cpu, uint qsize, ProgFd? program = null, BpfUpdateFlags flags = BpfUpdateFlags.Any)
    {
        if (!IsValidKey(cpu, out var badCpu))
            throw new ArgumentOutOfRangeException(nameof(cpu), cpu, badCpu);
        if (!IsValidQsize(qsize, out var badQsize))
            throw new ArgumentOutOfRangeException(nameof(qsize), qsize, badQsize);
        if (flags == BpfUpdateFlags.NoExist)
            throw new ArgumentException(CpuMapErrors.NoExist, nameof(flags));
        if (flags is not (BpfUpdateFlags.Any or BpfUpdateFlags.Exist))
            throw new ArgumentOutOfRangeException(nameof(flags), flags, CpuMapErrors.InvalidFlags);
        if (program is not null)
            CheckProgram(program);

        var key = (uint)cpu;
        try
        {
            if (Layout == CpuMapValueLayout.Qsize)
            {
                Bpf.MapUpdateElem(Fd, key, qsize, flags);
                return;
            }
            var added = false;
            try
            {
                var value = new BpfCpumapVal { Qsize = qsize, BpfProgFd = program is null ? -1 : BpfFd.AddRef(program, ref added, nameof(program)) };
                Bpf.MapUpdateElem(Fd, key, value, flags);
            }
            finally
            {
                if (added)
                    program!.DangerousRelease();
            }
        }
        catch (BpfException e) when (e.Command == BpfCommand.MapUpdateElem)
        {
            throw new BpfException(BpfCommand.MapUpdateElem, e.Errno,
                $"(CPUMAP '{Fd.Name}', CPU {cpu}) {CpuMapErrors.ExplainUpdate(e.Errno, cpu, qsize, MaxEntries, program)}");
        }
        if (program?.LoadAttributes is { } known)
            _fragsOfFirstProgram ??= (known.Flags & BpfProgFlags.XdpHasFrags) != 0;
    }

    /// <summary>Reads the entry of <paramref name="cpu"/>; false when it is not set.</summary>
    public bool TryGet(int cpu, out CpuMapEntry entry)
    {
        if (cpu < 0 || (uint)cpu >= MaxEntries)
            throw new ArgumentOutOfRangeException(nameof(cpu), cpu,
                $"CPU {cpu} is outside this CPUMAP's keys 0..{MaxEntries - 1} (the kernel answers ENOENT for it).");
        var key = (uint)cpu;
        bool found;
        BpfCpumapVal value = default;
        if (Layout == CpuMapValueLayout.Qsize)
        {
            found = Bpf.MapLookupElem(Fd, key, out uint qsize);
            value.Qsize = qsize;
        }
        else
        {
            found = Bpf.MapLookupElem(Fd, key, out value);
        }
        entry = found ? new CpuMapEntry(cpu, value.Qsize, value.BpfProgId) : default;
        return found;
    }

    /// <summary>The entry of <paramref name="cpu"/>: its queue size and remote program id; null when it is not set.</summary>
    public CpuMapEntry? Get(int cpu) => TryGet(cpu, out var entry) ? entry : null;

    /// <summary>Removes the entry of <paramref name="cpu"/>; removing an entry that is not set is not an error (as in the kernel).</summary>
    public void Remove(int cpu)
    {
        CheckCpuBelowMax(cpu, nameof(cpu));
        Bpf.MapDeleteElem(Fd, (uint)cpu);
    }

    /// <summary>The entries that are set, by ascending CPU.</summary>
    public IEnumerable<CpuMapEntry> Entries()
    {
        BpfFd.ThrowIfClosed(Fd, nameof(Fd));
        for (var cpu = 0; (uint)cpu < MaxEntries; cpu++)
            if (TryGet(cpu, out var entry))
                yield return entry;
    }

    /// <summary>Closes the map fd if this object created it.</summary>
    public void Dispose()
    {
        if (_ownsFd)
            Fd.Dispose();
    }

    private void CheckCpuBelowMax(int cpu, string paramName)
    {
        if (NotAKey(cpu) is { } reason)
            throw new ArgumentOutOfRangeException(paramName, cpu, reason);
    }

    /// <summary>Why <paramref name="cpu"/> is no key of this map (negative, or not below max_entries); null when it is one.</summary>
    private string? NotAKey(int cpu) =>
        cpu < 0 ? $"CPU numbers start at 0; {cpu} is not a CPU."
        : (uint)cpu >= MaxEntries ? CpuMapErrors.CpuNotBelowMaxEntries(cpu, MaxEntries)
        : null;

    private void CheckProgram(ProgFd program)
    {
        BpfFd.ThrowIfClosed(program, nameof(program));
        if (Layout == CpuMapValueLayout.Qsize)
            throw new ArgumentException(
                $"This CPUMAP has 4-byte values (queue size only, the layout before Linux 5.9), which cannot name a remote " +
                "program. Create the map with CpuMapValueLayout.QsizeAndProg (Linux 5.9+), or pass no program.", nameof(program));
        if (program.Type != BpfProgType.Xdp)
            throw new ArgumentException($"The {program} cannot run in a CPUMAP: {CpuMapErrors.NotXdp}", nameof(program));
        if (program.LoadAttributes is not { } known)
            return;
        if (known.ExpectedAttachType != BpfAttachType.XdpCpumap)
            throw new ArgumentException($"The {program} cannot run in a CPUMAP: {CpuMapErrors.WrongAttachType}", nameof(program));
        var frags = (known.Flags & BpfProgFlags.XdpHasFrags) != 0;
        if (_fragsOfFirstProgram is { } first && first != frags)
            throw new ArgumentException($"The {program} cannot run in this CPUMAP: {CpuMapErrors.FragsMismatch(frags)}", nameof(program));
    }

}
