using System.Text;

namespace CpuMap.Managed.Syscalls;

public static unsafe partial class Bpf
{
    /// <summary>BPF_OBJ_PIN: pins the map, program or link at <paramref name="path"/> on a BPF filesystem.</summary>
    public static void ObjPin(BpfFd fd, string path)
    {
        BpfFd.ThrowIfClosed(fd, nameof(fd));
        Span<byte> pathBytes = stackalloc byte[PathBufferSize(path)];
        EncodePath(path, pathBytes);
        var added = false;
        try
        {
            fixed (byte* p = pathBytes)
            {
                var attr = new ObjPinAttr { Pathname = (ulong)p, BpfFd = BpfFd.AddRef(fd, ref added, nameof(fd)) };
                if (Interop.Bpf(BpfCommand.ObjPin, ref attr) < 0)
                    ThrowForPath(BpfCommand.ObjPin, path);
            }
        }
        finally
        {
            if (added)
                fd.DangerousRelease();
        }
    }

    /// <summary>BPF_OBJ_GET for a pinned map.</summary>
    public static MapFd ObjGetMap(string path, BpfFileFlags flags = BpfFileFlags.None)
        => AdoptMap(ObjGet(path, flags, BpfObjectKind.Map));

    /// <summary>BPF_OBJ_GET for a pinned program.</summary>
    public static ProgFd ObjGetProg(string path)
        => AdoptProg(ObjGet(path, BpfFileFlags.None, BpfObjectKind.Prog), null, null);

    /// <summary>BPF_OBJ_GET for a pinned link.</summary>
    public static LinkFd ObjGetLink(string path) => AdoptLink(ObjGet(path, BpfFileFlags.None, BpfObjectKind.Link));

    private static int ObjGet(string path, BpfFileFlags flags, BpfObjectKind expected)
    {
        Span<byte> pathBytes = stackalloc byte[PathBufferSize(path)];
        EncodePath(path, pathBytes);
        int fd;
        fixed (byte* p = pathBytes)
        {
            var attr = new ObjPinAttr { Pathname = (ulong)p, FileFlags = flags };
            fd = Interop.Bpf(BpfCommand.ObjGet, ref attr);
            if (fd < 0)
                ThrowForPath(BpfCommand.ObjGet, path);
        }
        return BpfObjectKinds.Expect(fd, expected, $"the object pinned at '{path}'");
    }

    private static int PathBufferSize(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (path.Contains('\0'))
            throw new ArgumentException($"The pin path '{path}' contains a NUL character; pass a plain file path.", nameof(path));
        var size = Encoding.UTF8.GetByteCount(path) + 1;
        if (size > 4096)
            throw new ArgumentException($"The pin path is {size - 1} bytes; Linux paths are at most 4095 (PATH_MAX - 1).", nameof(path));
        return size;
    }

    private static void EncodePath(string path, Span<byte> buffer)
    {
        Encoding.UTF8.GetBytes(path, buffer);
        buffer[^1] = 0;
    }

    private static void ThrowForPath(BpfCommand command, string path)
    {
        var errno = Errno.Last;
        BpfErrors.Throw(command, errno, BpfErrors.PathHint(command, errno, path));
    }
}
