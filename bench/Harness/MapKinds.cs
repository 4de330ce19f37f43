using CpuMap.Managed.Syscalls;

namespace CpuMap.Managed.Bench.Harness;

/// <summary>
/// Map types as benchmark parameters, by the kernel's names (BPF_MAP_TYPE_ARRAY is "ARRAY"),
/// so the tables read like the kernel documentation.
/// </summary>
internal static class MapKinds
{
    internal static BpfMapType Parse(string name) => name switch
    {
        "ARRAY" => BpfMapType.Array,
        "PERCPU_ARRAY" => BpfMapType.PercpuArray,
        "HASH" => BpfMapType.Hash,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "The benchmarks use ARRAY, PERCPU_ARRAY and HASH maps."),
    };
}
