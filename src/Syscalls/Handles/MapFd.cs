namespace CpuMap.Managed.Syscalls;

/// <summary>
/// A BPF map fd with the shape the kernel reported for it, so that typed calls can check key
/// and value sizes before the kernel reads or writes user memory.
/// </summary>
public sealed class MapFd : BpfFd
{
    internal MapFd(int fd, in BpfMapInfo info) : base(fd)
    {
        Type = info.Type;
        Id = info.Id;
        KeySize = info.KeySize;
        ValueSize = info.ValueSize;
        MaxEntries = info.MaxEntries;
        Flags = info.MapFlags;
        Name = info.Name.ToString();
        ValueBufferSize = IsPerCpu(info.Type)
            ? checked(Bpf.RoundUp8(info.ValueSize) * (uint)CpuList.Possible.Count)
            : info.ValueSize;
    }

    /// <summary>The map type.</summary>
    public BpfMapType Type { get; }

    /// <summary>The map's id (0 when unknown).</summary>
    public uint Id { get; }

    /// <summary>key_size: bytes of a key.</summary>
    public uint KeySize { get; }

    /// <summary>value_size: bytes of a value (of one CPU's value in a per-CPU map).</summary>
    public uint ValueSize { get; }

    /// <summary>
    /// The bytes a lookup writes or an update reads in user space: value_size, or for per-CPU
    /// maps value_size rounded up to 8 times the number of possible CPUs.
    /// </summary>
    public uint ValueBufferSize { get; }

    /// <summary>max_entries: the most elements the map holds.</summary>
    public uint MaxEntries { get; }

    /// <summary>map_flags: the flags the map was created with.</summary>
    public BpfMapFlags Flags { get; }

    /// <summary>The map name given at creation (the kernel keeps at most 15 characters).</summary>
    public string Name { get; }

    private protected override string KindName => "BPF map";

    /// <summary>Per-CPU maps hold one value per possible CPU in user-space buffers.</summary>
    public static bool IsPerCpu(BpfMapType type)
        => type is BpfMapType.PercpuHash or BpfMapType.PercpuArray or BpfMapType.LruPercpuHash or BpfMapType.PercpuCgroupStorage;

    /// <inheritdoc/>
    public override string ToString() => $"{KernelNames.ToUpperSnake(Type.ToString())} map '{Name}' (id {Id})";
}
