namespace CpuMap.Managed.Syscalls;

public static unsafe partial class Bpf
{
    /// <summary>BPF_OBJ_GET_INFO_BY_FD for a map.</summary>
    public static BpfMapInfo ObjGetInfoByFd(MapFd map)
    {
        var info = default(BpfMapInfo);
        GetInfo(map, nameof(map), ref info);
        return info;
    }

    /// <summary>BPF_OBJ_GET_INFO_BY_FD for a program.</summary>
    /// <param name="prog">The program.</param>
    /// <param name="mapIds">When not empty, receives the ids of the maps the program uses (up to its length); see <see cref="BpfProgInfo.NrMapIds"/>.</param>
    public static BpfProgInfo ObjGetInfoByFd(ProgFd prog, Span<uint> mapIds = default)
    {
        fixed (uint* ids = mapIds)
        {
            var info = new BpfProgInfo { NrMapIds = (uint)mapIds.Length, MapIds = (ulong)ids };
            GetInfo(prog, nameof(prog), ref info);
            return info;
        }
    }

    /// <summary>BPF_OBJ_GET_INFO_BY_FD for a link.</summary>
    public static BpfLinkInfo ObjGetInfoByFd(LinkFd link)
    {
        var info = default(BpfLinkInfo);
        GetInfo(link, nameof(link), ref info);
        return info;
    }

    private static void GetInfo<TInfo>(BpfFd fd, string paramName, ref TInfo info) where TInfo : unmanaged
    {
        var added = false;
        try
        {
            GetInfo(BpfFd.AddRef(fd, ref added, paramName), ref info);
        }
        finally
        {
            if (added)
                fd.DangerousRelease();
        }
    }

    internal static void GetInfo<TInfo>(int fd, ref TInfo info) where TInfo : unmanaged
    {
        fixed (TInfo* p = &info)
        {
            var attr = new InfoByFdAttr { BpfFd = fd, InfoLen = (uint)sizeof(TInfo), Info = (ulong)p };
            if (Interop.Bpf(BpfCommand.ObjGetInfoByFd, ref attr) < 0)
                BpfErrors.Throw(BpfCommand.ObjGetInfoByFd, Errno.Last);
        }
    }
}
