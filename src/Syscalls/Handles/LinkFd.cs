namespace CpuMap.Managed.Syscalls;

/// <summary>A BPF link fd: closing the last reference detaches the program.</summary>
public sealed class LinkFd : BpfFd
{
    internal LinkFd(int fd, uint id) : base(fd) => Id = id;

    /// <summary>The link's id.</summary>
    public uint Id { get; }

    private protected override string KindName => "BPF link";
}
