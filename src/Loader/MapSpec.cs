using CpuMap.Managed.Elf;
using CpuMap.Managed.Syscalls;

namespace CpuMap.Managed.Loader;

/// <summary>
/// One map of an object as it will be created, editable until <see cref="BpfObjectSpec.Load"/>, as libbpf users edit
/// a map between open and load: its size (<c>bpf_map__set_max_entries</c>), flags, inner map template, pinning, or an
/// existing map to use instead (<c>bpf_map__reuse_fd</c>). Starts as the object declares it; nothing is adjusted
/// behind the user's back.
/// </summary>
public sealed class MapSpec
{
    private readonly string _objectName;

    internal MapSpec(string objectName, BpfMapDefinition definition)
    {
        _objectName = objectName;
        Definition = definition;
        MaxEntries = definition.MaxEntries;
        Flags = definition.MapFlags;
        PinByName = definition.Pinning == LibbpfPinByName;
        InnerMap = definition.InnerMap is { } inner ? new MapSpec(objectName, inner) : null;
    }

    /// <summary>LIBBPF_PIN_BY_NAME, the value of <c>__uint(pinning, ...)</c> that pins a map under its name.</summary>
    public const uint LibbpfPinByName = 1;

    /// <summary>The definition as the object holds it.</summary>
    public BpfMapDefinition Definition { get; }

    /// <summary>The map's name in the object.</summary>
    public string Name => Definition.Name;

    /// <summary>map_type.</summary>
    public BpfMapType Type => Definition.Type;

    /// <summary>key_size, in bytes.</summary>
    public uint KeySize => Definition.KeySize;

    /// <summary>value_size, in bytes.</summary>
    public uint ValueSize => Definition.ValueSize;

    /// <summary>
    /// max_entries. Objects that leave a size to user space declare 0 (xdp-bench's and the kernel sample's CPUMAP
    /// programs do); such a map must be given one before loading, e.g. with <see cref="SetMaxEntriesToPossibleCpus"/>.
    /// </summary>
    public uint MaxEntries { get; set; }

    /// <summary>map_flags (BPF_F_NUMA_NODE follows the definition's numa_node).</summary>
    public BpfMapFlags Flags { get; set; }

    /// <summary>For a map of maps: the template its inner maps are created from, editable like any map.</summary>
    public MapSpec? InnerMap { get; }

    /// <summary>
    /// Whether the map lives at PINROOT/NAME (<see cref="BpfLoadOptions.PinRoot"/>): an existing compatible pin there is
    /// used instead of a new map, else the new map is pinned there. Starts as the definition's LIBBPF_PIN_BY_NAME.
    /// </summary>
    public bool PinByName { get; set; }

    /// <summary>The caller's map used instead of creating one (<see cref="Reuse"/>), or null. The caller keeps it open until the load.</summary>
    public MapFd? Reused { get; private set; }

    /// <summary>The pin whose map is used instead of creating one (<see cref="ReusePinned"/>), or null.</summary>
    public string? ReusedPin { get; private set; }

    /// <summary>Whether the object leaves this map's size to user space (declares max_entries 0).</summary>
    public bool IsSizedByUserSpace => Definition.MaxEntries == 0;

    /// <summary>
    /// One entry per possible CPU, as libbpf's <c>libbpf_num_possible_cpus()</c> counts them: the highest CPU of the full
    /// possible range list plus one, so every possible CPU number is a valid key even with holes in the list.
    /// </summary>
    public static uint PossibleCpus => (uint)CpuList.NrCpuIds;

    /// <summary>Sizes the map to one entry per possible CPU (<see cref="PossibleCpus"/>): what a CPUMAP needs.</summary>
    public MapSpec SetMaxEntriesToPossibleCpus()
    {
        MaxEntries = PossibleCpus;
        return this;
    }

    /// <summary>
    /// Uses <paramref name="map"/> instead of creating this one, as libbpf's <c>bpf_map__reuse_fd</c>: the object's programs
    /// then share it with whoever else holds it. The load takes its own duplicate of the fd, so the caller keeps
    /// <paramref name="map"/> (open until the load) and disposes it as before. Refused when its type, key, value, size or
    /// flags differ from this spec's; a spec still at max_entries 0 takes the map's.
    /// </summary>
    /// <exception cref="BpfLoadException">The map is not compatible; the message names each difference.</exception>
    public MapSpec Reuse(MapFd map)
    {
        ArgumentNullException.ThrowIfNull(map);
        ObjectDisposedException.ThrowIf(map.IsClosed, map);
        CheckCompatible(map, $"the map given to reuse ({map})");
        (Reused, ReusedPin) = (map, null);
        if (MaxEntries == 0)
            MaxEntries = map.MaxEntries;
        return this;
    }

    /// <summary>
    /// Uses the map pinned at <paramref name="path"/> instead of creating this one (see <see cref="Reuse"/>). Checked now,
    /// opened again at load.
    /// </summary>
    /// <exception cref="BpfLoadException">Nothing is pinned there, it is not a map, or it is not compatible.</exception>
    public MapSpec ReusePinned(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var map = OpenPinned(path);
        CheckCompatible(map, $"the map pinned at '{path}' ({map})");
        (Reused, ReusedPin) = (null, path);
        if (MaxEntries == 0)
            MaxEntries = map.MaxEntries;
        return this;
    }

    /// <summary>The map to use instead of a new one, as a fd the load owns, or null to create one.</summary>
    internal MapFd? OpenReused()
    {
        if (Reused is { } map)
        {
            ObjectDisposedException.ThrowIf(map.IsClosed, map);
            return Bpf.Duplicate(map);
        }
        if (ReusedPin is not { } path)
            return null;
        var pinned = OpenPinned(path);
        try
        {
            CheckCompatible(pinned, $"the map pinned at '{path}' ({pinned})");
            return pinned;
        }
        catch
        {
            pinned.Dispose();
            throw;
        }
    }

    /// <summary>Opens the map pinned at <paramref name="path"/>, with the loader's error when that fails.</summary>
    internal MapFd OpenPinned(string path)
    {
        try
        {
            return Bpf.ObjGetMap(path);
        }
        catch (Exception e) when (e is BpfOperationException or IOException or UnauthorizedAccessException)
        {
            // A kernel refusal is appended by BpfLoadException itself; other failures are told here.
            throw new BpfLoadException(_objectName, Name, null, $"no map to reuse at '{path}'" + (e is BpfException ? "" : $": {e.Message}"), e);
        }
    }

    /// <summary>Throws unless <paramref name="map"/> has this spec's shape (libbpf's map_is_reuse_compat).</summary>
    internal void CheckCompatible(MapFd map, string what)
    {
        var differences = new List<string>();
        void Compare(string field, object? expected, object? actual)
        {
            if (!Equals(expected, actual))
                differences.Add($"{field} {actual} where the object wants {expected}");
        }
        Compare("type", KernelNames.Of(Type), KernelNames.Of(map.Type));
        Compare("key_size", KeySize, map.KeySize);
        Compare("value_size", ValueSize, map.ValueSize);
        if (MaxEntries != 0)
            Compare("max_entries", MaxEntries, map.MaxEntries);
        Compare("map_flags", $"0x{(uint)(Flags & ~BpfMapFlags.NumaNode):x}", $"0x{(uint)(map.Flags & ~BpfMapFlags.NumaNode):x}");
        if (differences.Count > 0)
            throw new BpfLoadException(_objectName, Name, null,
                $"{what} cannot stand in for it: {string.Join("; ", differences)}. Give a map of the object's shape, " +
                "or change the spec to match (MaxEntries, Flags), or remove a stale pin so a new map is made.");
    }

    /// <inheritdoc/>
    public override string ToString() => $"map '{Name}' {KernelNames.Of(Type)} key {KeySize} value {ValueSize} max_entries {MaxEntries}" +
        (Reused is { } map ? $" (reusing {map})" : ReusedPin is { } pin ? $" (reusing the map pinned at {pin})" : "");
}
