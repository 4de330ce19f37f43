using System.Runtime.InteropServices;

namespace CpuMap.Managed.Syscalls.Maps;

/// <summary>
/// A typed BPF_MAP_TYPE_PERCPU_ARRAY whose value is a <typeparamref name="T"/> (a number, or a struct of the value's fields in
/// the program's order): each entry reads as one <typeparamref name="T"/> per CPU. The kernel hands user space the values of
/// the possible CPUs only, each in an 8-byte-aligned slot, in the order of the possible CPUs; <see cref="Get"/> puts each at
/// its CPU number. A view of the fd: it does not own or close it.
/// </summary>
public sealed unsafe class PerCpuArray<T> where T : unmanaged
{
    private PerCpuArray(MapFd fd) => Fd = fd;

    /// <summary>The map.</summary>
    public MapFd Fd { get; }

    /// <summary>The map's max_entries: indexes must be below it.</summary>
    public uint MaxEntries => Fd.MaxEntries;

    /// <summary>Reads <paramref name="map"/> as per-CPU <typeparamref name="T"/> values.</summary>
    /// <exception cref="ArgumentException">The map is not a PERCPU_ARRAY, or its values are not <typeparamref name="T"/>'s size.</exception>
    public static PerCpuArray<T> Open(MapFd map)
    {
        BpfFd.ThrowIfClosed(map, nameof(map));
        if (map.Type != BpfMapType.PercpuArray || map.KeySize != sizeof(uint))
            throw new ArgumentException(
                $"The {map} with {map.KeySize}-byte keys is not a per-CPU array (BPF_MAP_TYPE_PERCPU_ARRAY with 4-byte keys): pass a per-CPU array's fd.",
                nameof(map));
        if (map.ValueSize != sizeof(T))
            throw new ArgumentException(
                $"The {map} holds {map.ValueSize}-byte values, and {typeof(T).Name} is {sizeof(T)} bytes: read it with a type of the value's size " +
                "(its fields in the program's order).", nameof(map));
        return new PerCpuArray<T>(map);
    }

    /// <summary>Every CPU's value at <paramref name="index"/>, indexed by CPU number.</summary>
    public PerCpuValues<T> Get(uint index)
    {
        CheckIndex(index);
        var possible = CpuList.Possible;
        var stride = (int)Bpf.RoundUp8((uint)sizeof(T));
        var buffer = new byte[Fd.ValueBufferSize];
        var values = new T[CpuList.NrCpuIds];
        // An array has every index below max_entries, so the lookup always finds it.
        Bpf.MapLookupElem(Fd, MemoryMarshal.AsBytes(new ReadOnlySpan<uint>(in index)), buffer);
        for (var i = 0; i < possible.Count; i++)
            // In the host's byte order: the program wrote them as plain stores.
            values[possible[i]] = MemoryMarshal.Read<T>(buffer.AsSpan(i * stride));
        return new PerCpuValues<T>(values);
    }

    /// <summary>Sets every CPU's value at <paramref name="index"/> to zero.</summary>
    public void Clear(uint index)
    {
        CheckIndex(index);
        Bpf.MapUpdateElem(Fd, MemoryMarshal.AsBytes(new ReadOnlySpan<uint>(in index)), new byte[Fd.ValueBufferSize]);
    }

    private void CheckIndex(uint index)
    {
        if (index >= MaxEntries)
            throw new ArgumentOutOfRangeException(nameof(index), index,
                $"Index {index} is not in the {Fd}: a per-CPU array has indexes 0 to {MaxEntries - 1} (the kernel answers ENOENT).");
    }
}
