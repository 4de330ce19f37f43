namespace CpuMap.Managed.Syscalls;

/// <summary>A BTF object fd (BPF_BTF_LOAD): the program BTF that func_info, line_info and CO-RE
/// relocations of BPF_PROG_LOAD refer to. A loaded program holds the BTF itself, so this fd may be
/// closed once the programs that use it are loaded.</summary>
public sealed class BtfFd : BpfFd
{
    internal BtfFd(int fd, uint id, string? log) : base(fd)
    {
        Id = id;
        Log = log;
    }

    /// <summary>The BTF object's id (bpftool btf show).</summary>
    public uint Id { get; }

    /// <summary>The kernel's BTF log of a load that asked for one (log level above 0).</summary>
    public string? Log { get; }

    private protected override string KindName => "BTF object";

    /// <inheritdoc/>
    public override string ToString() => $"BTF (id {Id})";
}
