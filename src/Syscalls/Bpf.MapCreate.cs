namespace CpuMap.Managed.Syscalls;

public static unsafe partial class Bpf
{
    /// <summary>BPF_MAP_CREATE: creates a map and returns its fd.</summary>
    /// <param name="type">The map type.</param>
    /// <param name="keySize">key_size in bytes.</param>
    /// <param name="valueSize">value_size in bytes (per CPU, for per-CPU maps).</param>
    /// <param name="maxEntries">max_entries.</param>
    /// <param name="flags">map_flags.</param>
    /// <param name="name">Up to 15 characters: letters, digits, '_' and '.'.</param>
    /// <param name="innerMap">For ARRAY_OF_MAPS and HASH_OF_MAPS: a map of the shape the inner maps will have.</param>
    /// <param name="numaNode">Allocate on this NUMA node (sets BPF_F_NUMA_NODE).</param>
    /// <param name="mapExtra">map_extra (e.g. the hash count of a bloom filter).</param>
    /// <param name="btf">
    /// BTF describing the key and value, for the values the kernel only accepts with it (bpf_spin_lock,
    /// bpf_timer, kptrs): btf_fd, with <paramref name="btfKeyTypeId"/> and <paramref name="btfValueTypeId"/>.
    /// </param>
    /// <param name="btfKeyTypeId">btf_key_type_id in <paramref name="btf"/> (0 for none).</param>
    /// <param name="btfValueTypeId">btf_value_type_id in <paramref name="btf"/>.</param>
    public static MapFd MapCreate(BpfMapType type, uint keySize, uint valueSize, uint maxEntries,
        BpfMapFlags flags = BpfMapFlags.None, string? name = null, MapFd? innerMap = null, int? numaNode = null,
        ulong mapExtra = 0, BtfFd? btf = null, uint btfKeyTypeId = 0, uint btfValueTypeId = 0)
    {
        if (btf is null && (btfKeyTypeId | btfValueTypeId) != 0)
            throw new ArgumentException("BTF type ids were given without the BTF they are ids in: pass btf too, or leave the ids 0.", nameof(btf));
        if (type == BpfMapType.Unspec || !Enum.IsDefined(type))
            throw new ArgumentOutOfRangeException(nameof(type), type,
                $"'{type}' is not a map type this library knows; pick a BpfMapType member such as {nameof(BpfMapType.Hash)} or {nameof(BpfMapType.Cpumap)}.");
        if (numaNode is < 0)
            throw new ArgumentOutOfRangeException(nameof(numaNode), numaNode,
                "A NUMA node is a number from 0; pass null to let the kernel choose.");
        var attr = new MapCreateAttr
        {
            MapType = type,
            KeySize = keySize,
            ValueSize = valueSize,
            MaxEntries = maxEntries,
            MapFlags = flags | (numaNode is null ? 0 : BpfMapFlags.NumaNode),
            NumaNode = (uint)(numaNode ?? 0),
            MapName = BpfObjName.From(name, nameof(name)),
            MapExtra = mapExtra,
            BtfKeyTypeId = btfKeyTypeId,
            BtfValueTypeId = btfValueTypeId,
        };
        bool addedInner = false, addedBtf = false;
        try
        {
            if (innerMap is not null)
                attr.InnerMapFd = BpfFd.AddRef(innerMap, ref addedInner, nameof(innerMap));
            if (btf is not null)
                attr.BtfFd = BpfFd.AddRef(btf, ref addedBtf, nameof(btf));
            return MapCreate(ref attr);
        }
        finally
        {
            if (addedInner)
                innerMap!.DangerousRelease();
            if (addedBtf)
                btf!.DangerousRelease();
        }
    }

    /// <summary>BPF_MAP_CREATE with every attribute under the caller's control (e.g. BTF ids).</summary>
    internal static MapFd MapCreate(ref MapCreateAttr attr)
    {
        var fd = Interop.Bpf(BpfCommand.MapCreate, ref attr);
        if (fd < 0)
            BpfErrors.Throw(BpfCommand.MapCreate, Errno.Last);
        return AdoptMap(fd);
    }

    /// <summary>Takes ownership of a fresh map fd and reads its shape from the kernel; closes the fd if that fails.</summary>
    internal static MapFd AdoptMap(int fd)
    {
        try
        {
            var info = default(BpfMapInfo);
            GetInfo(fd, ref info);
            return new MapFd(fd, info);
        }
        catch
        {
            Interop.Close(fd);
            throw;
        }
    }
}
