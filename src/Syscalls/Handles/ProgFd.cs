namespace CpuMap.Managed.Syscalls;

/// <summary>A BPF program fd.</summary>
public sealed class ProgFd : BpfFd
{
    internal ProgFd(int fd, BpfProgType type, uint id, ProgLoadAttributes? loadAttributes, string? verifierLog) : base(fd)
    {
        Type = type;
        Id = id;
        LoadAttributes = loadAttributes;
        VerifierLog = verifierLog;
    }

    /// <summary>The program type.</summary>
    public BpfProgType Type { get; }

    /// <summary>The program's id.</summary>
    public uint Id { get; }

    /// <summary>
    /// How the program was loaded, when this process loaded it through <see cref="Bpf.ProgLoad"/>;
    /// null for fds opened by id or from a pin, because bpf_prog_info does not report the
    /// expected attach type or the program flags.
    /// </summary>
    public ProgLoadAttributes? LoadAttributes { get; }

    /// <summary>The verifier log of a successful load that asked for one (log level above 0).</summary>
    public string? VerifierLog { get; }

    private protected override string KindName => "BPF program";

    /// <inheritdoc/>
    public override string ToString() => $"{KernelNames.ToUpperSnake(Type.ToString())} program (id {Id})";
}
