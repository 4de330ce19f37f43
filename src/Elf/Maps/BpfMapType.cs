namespace CpuMap.Managed.Elf;

/// <summary>The enum bpf_map_type values the reader itself has to recognise (uapi linux/bpf.h).
/// Map types are otherwise kept as the kernel's uint, unknown ones included.</summary>
internal static class BpfMapType
{
    public const uint BPF_MAP_TYPE_PROG_ARRAY = 3;
    public const uint BPF_MAP_TYPE_ARRAY_OF_MAPS = 12;
    public const uint BPF_MAP_TYPE_HASH_OF_MAPS = 13;

    public static bool IsMapInMap(uint type) => type is BPF_MAP_TYPE_ARRAY_OF_MAPS or BPF_MAP_TYPE_HASH_OF_MAPS;
}
