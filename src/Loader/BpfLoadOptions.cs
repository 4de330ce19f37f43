namespace CpuMap.Managed.Loader;

/// <summary>How <see cref="BpfObjectSpec.Load"/> loads an object.</summary>
public sealed record BpfLoadOptions
{
    /// <summary>
    /// A folder on a BPF filesystem (e.g. under /sys/fs/bpf) to pin everything in: maps at
    /// DIR/maps/NAME and programs at DIR/progs/NAME, under the names libbpf pins them by (the
    /// object's own, global data maps by their kernel name, '.' turned into '_' because the BPF
    /// filesystem refuses dots). Created if missing. Null pins nothing.
    /// </summary>
    public string? PinDirectory { get; init; }

    /// <summary>
    /// Where maps with <see cref="MapSpec.PinByName"/> (LIBBPF_PIN_BY_NAME) live, as PINROOT/NAME; libbpf's default
    /// pin_root_path. A BPF filesystem is mounted at /sys/fs/bpf when none is.
    /// </summary>
    public string PinRoot { get; init; } = Syscalls.BpfFs.DefaultRoot;

    /// <summary>Verifier log level for successful loads too (1 or 2; 0 keeps a log only for failures).</summary>
    public uint LogLevel { get; init; }
}
