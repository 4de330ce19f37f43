using System.Runtime.InteropServices;
using CpuMap.Managed.Syscalls;

namespace CpuMap.Managed.Programs;

/// <summary>
/// Reads one key of a BPF_MAP_TYPE_PERCPU_ARRAY of 4- or 8-byte values. The kernel hands user space
/// one value per possible CPU, each in an 8-byte-aligned slot, in the order of the possible CPUs; here
/// they come back indexed by CPU number, so that <c>values[cpu]</c> is that CPU's value (0 for numbers
/// that are not possible CPUs, where the possible list has holes).
/// </summary>
internal static class PerCpuArray
{
    internal static ulong[] Read(MapFd map, uint key)
    {
        var possible = CpuList.Possible;
        var stride = (int)((map.ValueSize + 7) & ~7u);
        var buffer = new byte[map.ValueBufferSize];
        var values = new ulong[CpuList.NrCpuIds];
        if (!Bpf.MapLookupElem(map, MemoryMarshal.AsBytes(new ReadOnlySpan<uint>(in key)), buffer))
            return values;
        for (var i = 0; i < possible.Count; i++)
        {
            // Values are in the host's byte order: the program wrote them as plain loads and stores.
            var slot = buffer.AsSpan(i * stride);
            values[possible[i]] = map.ValueSize == sizeof(uint) ? MemoryMarshal.Read<uint>(slot) : MemoryMarshal.Read<ulong>(slot);
        }
        return values;
    }

    /// <summary>
    /// Reads one key whose value is a <typeparamref name="T"/> (a struct of the value's fields in the program's order, as
    /// the counters' record structs are), indexed by CPU number; all zero when the key is absent.
    /// </summary>
    internal static unsafe T[] Read<T>(MapFd map, uint key) where T : unmanaged
    {
        if (map.ValueSize != sizeof(T))
            throw new ArgumentException($"The map '{map.Name}' holds {map.ValueSize}-byte values, not {typeof(T).Name}'s {sizeof(T)} bytes.", nameof(map));
        var possible = CpuList.Possible;
        var stride = (int)((map.ValueSize + 7) & ~7u);
        var buffer = new byte[map.ValueBufferSize];
        var values = new T[CpuList.NrCpuIds];
        if (!Bpf.MapLookupElem(map, MemoryMarshal.AsBytes(new ReadOnlySpan<uint>(in key)), buffer))
            return values;
        for (var i = 0; i < possible.Count; i++)
            values[possible[i]] = MemoryMarshal.Read<T>(buffer.AsSpan(i * stride));
        return values;
    }

    /// <summary>Sets every CPU's value of <paramref name="key"/> to zero.</summary>
    internal static void Clear(MapFd map, uint key) =>
        Bpf.MapUpdateElem(map, MemoryMarshal.AsBytes(new ReadOnlySpan<uint>(in key)), new byte[map.ValueBufferSize]);
}
