using System.Runtime.InteropServices;

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
    public static MapFd MapCreate(BpfMapType type, uint keySize, uint valueSize, uint maxEntries,
        BpfMapFlags flags = BpfMapFlags.None, string? name = null, MapFd? innerMap = null, int? numaNode = null,
        ulong mapExtra = 0)
    {
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
        };
        var added = false;
        try
        {
            if (innerMap is not null)
                attr.InnerMapFd = BpfFd.AddRef(innerMap, ref added, nameof(innerMap));
            return MapCreate(ref attr);
        }
        finally
        {
            if (added)
                innerMap!.DangerousRelease();
        }
    }

    /// <summary>BPF_MAP_CREATE with every attribute under the caller's control (e.g. BTF ids).</summary>
    internal static MapFd MapCreate(ref MapCreateAttr attr)
    {
        var fd = Interop.Bpf(BpfCommand.MapCreate, ref attr);
        if (fd < 0)
            BpfErrors.Throw(BpfCommand.MapCreate, Marshal.GetLastPInvokeError());
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
