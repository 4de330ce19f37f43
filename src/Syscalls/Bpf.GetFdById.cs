namespace CpuMap.Managed.Syscalls;

public static unsafe partial class Bpf
{
    /// <summary>BPF_MAP_GET_FD_BY_ID: opens the map with this id (e.g. from a program's info).</summary>
    public static MapFd MapGetFdById(uint id, BpfFileFlags flags = BpfFileFlags.None)
        => AdoptMap(GetFdById(BpfCommand.MapGetFdById, id, flags, nameof(id)));

    /// <summary>BPF_PROG_GET_FD_BY_ID: opens the program with this id.</summary>
    public static ProgFd ProgGetFdById(uint id) => AdoptProg(GetFdById(BpfCommand.ProgGetFdById, id, 0, nameof(id)), null, null);

    /// <summary>BPF_LINK_GET_FD_BY_ID: opens the link with this id.</summary>
    public static LinkFd LinkGetFdById(uint id) => AdoptLink(GetFdById(BpfCommand.LinkGetFdById, id, 0, nameof(id)));

    private static int GetFdById(BpfCommand command, uint id, BpfFileFlags flags, string paramName)
    {
        if (id == 0)
            throw new ArgumentOutOfRangeException(paramName, id, "BPF object ids start at 1; 0 means \"no object\" in the kernel's info structs.");
        var attr = new GetIdAttr { StartId = id, OpenFlags = flags };
        var fd = Interop.Bpf(command, ref attr);
        if (fd < 0)
        {
            var errno = Errno.Last;
            BpfErrors.Throw(command, errno, $"(id {id}) {BpfErrors.Hint(command, errno)}");
        }
        return fd;
    }
}
