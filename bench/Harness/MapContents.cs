using CpuMap.Managed.Syscalls;

namespace CpuMap.Managed.Bench.Harness;

/// <summary>A map of u32 keys written out in key order, for comparing what two twins left behind.</summary>
internal static class MapContents
{
    internal static string Describe(MapFd map)
    {
        var entries = new SortedDictionary<uint, string>();
        var value = new byte[map.ValueBufferSize];
        var more = Bpf.MapGetNextKey(map, out uint key);
        while (more)
        {
            // An entry deleted between the two calls is simply not there: the benchmarks run alone.
            if (Bpf.MapLookupElem(map, BitConverter.GetBytes(key), value))
                entries[key] = Convert.ToHexString(value);
            more = Bpf.MapGetNextKey(map, key, out key);
        }
        return entries.Count == 0 ? "empty" : string.Join(' ', entries.Select(e => $"{e.Key}={e.Value}"));
    }

    internal static string Hex<T>(ReadOnlySpan<T> values) where T : unmanaged
        => Convert.ToHexString(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values));
}
