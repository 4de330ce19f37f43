namespace CpuMap.Managed.Syscalls;

public static unsafe partial class Bpf
{
    /// <summary>BPF_MAP_FREEZE: makes the map read-only for user space from now on (programs may still write).</summary>
    public static void MapFreeze(MapFd map)
    {
        var added = false;
        try
        {
            var attr = new MapElemAttr { MapFd = BpfFd.AddRef(map, ref added, nameof(map)) };
            if (Interop.Bpf(BpfCommand.MapFreeze, ref attr) < 0)
                BpfErrors.Throw(BpfCommand.MapFreeze, Errno.Last);
        }
        finally
        {
            if (added)
                map.DangerousRelease();
        }
    }
}
