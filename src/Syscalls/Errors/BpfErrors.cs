using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using static CpuMap.Managed.Errno;

namespace CpuMap.Managed.Syscalls;

/// <summary>
/// What an errno most likely means for a given bpf(2) command, and the one throw helper. Kept
/// out of line so that the callers' success path carries no exception-building code.
/// </summary>
internal static class BpfErrors
{
    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    internal static void Throw(BpfCommand command, Errno errno)
        => throw new BpfException(command, errno, Hint(command, errno));

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    internal static void Throw(BpfCommand command, Errno errno, string hint)
        => throw new BpfException(command, errno, hint);

    /// <summary>BPF_PROG_LOAD's EINVAL after the verifier accepted the program.</summary>
    internal const string VerifiedButRefused =
        "the program passed the verifier, but a map it uses refuses it. Most likely a CPUMAP or DEVMAP whose XDP frags " +
        "setting was fixed by the first program that used it (it sticks even after that program is closed): load this " +
        "program with the same BPF_F_XDP_HAS_FRAGS setting as that one, or give it a new map. A PROG_ARRAY likewise only " +
        "takes programs of the type (and JIT state) of its first one.";

    /// <summary>
    /// BPF_OBJ_PIN's and BPF_OBJ_GET's hint for <paramref name="path"/>: the BPF filesystem's lookup
    /// answers EPERM for any name containing '.' (bpf_lookup in kernel/bpf/inode.c), which would
    /// otherwise read as missing privilege.
    /// </summary>
    internal static string PathHint(BpfCommand command, Errno errno, string path)
    {
        var name = Path.GetFileName(path.AsSpan().TrimEnd('/'));
        return errno == EPERM && name.Contains('.')
            ? $"(path '{path}') the BPF filesystem refuses names that contain '.', and '{name}' does: " +
              "pick a name without dots (libbpf turns '.' into '_', e.g. '.rodata' is pinned as '_rodata')."
            : $"(path '{path}') {Hint(command, errno)}";
    }

    /// <summary>EPERM from <paramref name="command"/>: the capabilities it needs, which of them this process lacks, how to grant them.</summary>
    internal static string Denied(BpfCommand command)
        => Capabilities.ExplainDenied(KernelNames.Of(command), CapabilitiesFor(command));

    /// <summary>EPERM from BPF_PROG_LOAD of a <paramref name="type"/> program: the kernel checks more than CAP_BPF by program type.</summary>
    internal static string DeniedLoad(BpfProgType type)
        => Capabilities.ExplainDenied($"BPF_PROG_LOAD of a {KernelNames.Of(type)} program", CapabilitiesToLoad(type));

    /// <summary>
    /// What bpf(2) checks for <paramref name="command"/> (kernel/bpf/syscall.c): CAP_BPF for everything, except that walking
    /// or opening other processes' objects by id needs CAP_SYS_ADMIN.
    /// </summary>
    internal static Capability[] CapabilitiesFor(BpfCommand command) => command switch
    {
        BpfCommand.ProgGetNextId or BpfCommand.MapGetNextId or BpfCommand.BtfGetNextId or BpfCommand.LinkGetNextId
            or BpfCommand.ProgGetFdById or BpfCommand.MapGetFdById or BpfCommand.BtfGetFdById or BpfCommand.LinkGetFdById
            => [Capability.SysAdmin],
        _ => [Capability.Bpf],
    };

    /// <summary>
    /// What BPF_PROG_LOAD checks for <paramref name="type"/> (bpf_prog_load): networking programs also need CAP_NET_ADMIN
    /// (is_net_admin_prog_type), programs that read kernel memory CAP_PERFMON (is_perfmon_prog_type).
    /// </summary>
    internal static Capability[] CapabilitiesToLoad(BpfProgType type) => type switch
    {
        BpfProgType.SchedCls or BpfProgType.SchedAct or BpfProgType.Xdp or BpfProgType.LwtIn or BpfProgType.LwtOut
            or BpfProgType.LwtXmit or BpfProgType.LwtSeg6local or BpfProgType.SkSkb or BpfProgType.SkMsg
            or BpfProgType.FlowDissector or BpfProgType.CgroupDevice or BpfProgType.CgroupSock or BpfProgType.CgroupSkb
            or BpfProgType.CgroupSockAddr or BpfProgType.CgroupSockopt or BpfProgType.CgroupSysctl or BpfProgType.SockOps
            or BpfProgType.SkLookup or BpfProgType.SkReuseport or BpfProgType.Netfilter
            => [Capability.Bpf, Capability.NetAdmin],
        BpfProgType.Kprobe or BpfProgType.Tracepoint or BpfProgType.PerfEvent or BpfProgType.RawTracepoint
            or BpfProgType.RawTracepointWritable or BpfProgType.Tracing or BpfProgType.Lsm or BpfProgType.StructOps or BpfProgType.Ext
            => [Capability.Bpf, Capability.Perfmon],
        _ => [Capability.Bpf],
    };

    /// <summary>The likely cause and the fix of <paramref name="errno"/> from <paramref name="command"/>.</summary>
    internal static string Hint(BpfCommand command, Errno errno) => (command, errno) switch
    {
        (_, EPERM) when command is BpfCommand.MapUpdateElem or BpfCommand.MapDeleteElem or BpfCommand.MapUpdateBatch or BpfCommand.MapDeleteBatch =>
            "the map is read-only for this fd (frozen with BPF_MAP_FREEZE, created with BPF_F_RDONLY, or opened " +
            "with BPF_F_RDONLY), or: " + Denied(command),
        (BpfCommand.ObjPin or BpfCommand.ObjGet, EPERM or EINVAL) =>
            "the path is not on a BPF filesystem: pin under /sys/fs/bpf (mount -t bpf bpf /sys/fs/bpf); note that " +
            "'ip netns exec' hides it, mount it again inside. Or: " + Denied(command),
        (BpfCommand.MapFreeze, EPERM) =>
            "the map is already frozen or this fd cannot write it (opened with BPF_F_RDONLY), or: " + Denied(command),
        (_, EPERM) => Denied(command) + " (Before Linux 5.8 CAP_SYS_ADMIN stands for CAP_BPF; before 5.11 also raise RLIMIT_MEMLOCK: ulimit -l unlimited.)",
        (_, EBADF) =>
            "the file descriptor is not an open BPF object of the kind this command needs (a map fd where a map is " +
            "expected, a program fd where a program is): pass the right handle and do not use it after Dispose.",
        (_, EFAULT) => "the kernel could not read or write a user buffer: a key, value or buffer is smaller than the map or command needs.",
        (_, ENOTSUPP or EOPNOTSUPP) when command == BpfCommand.ProgTestRun =>
            "this program type does not support BPF_PROG_TEST_RUN, or not with these flags.",
        (_, ENOTSUPP or EOPNOTSUPP) => "this kernel or map type does not support the operation: check the map type and the kernel version.",

        (BpfCommand.MapCreate, E2BIG) =>
            "max_entries, key_size or value_size is too large for this map type (a CPUMAP or DEVMAP holds at most " +
            "NR_CPUS entries): lower max_entries.",
        (BpfCommand.MapCreate, EINVAL) =>
            "the kernel refused the map's attributes: check key_size and value_size for this map type (CPUMAP: key 4, " +
            "value 4 or 8), max_entries > 0, and that each map flag applies to this type (BPF_F_NO_PREALLOC is for hash maps).",
        (BpfCommand.MapCreate, ENOMEM) =>
            "the kernel could not allocate the map: lower max_entries or the value size, or raise the memory cgroup limit " +
            "(before Linux 5.11: RLIMIT_MEMLOCK).",

        (BpfCommand.MapLookupElem or BpfCommand.MapDeleteElem, ENOENT) => "no element has this key.",
        (BpfCommand.MapGetNextKey, ENOENT) => "there is no key after this one: the iteration is complete.",
        (BpfCommand.MapUpdateElem or BpfCommand.MapUpdateBatch, E2BIG) =>
            "the key is not below max_entries (array-like maps) or the map is full (hash maps): use a smaller key, " +
            "delete elements, or create the map with a larger max_entries.",
        (BpfCommand.MapUpdateElem or BpfCommand.MapUpdateBatch, EEXIST) =>
            "BPF_NOEXIST was given and the key exists; array-like maps (ARRAY, CPUMAP, DEVMAP) always answer EEXIST " +
            "to BPF_NOEXIST because every slot exists: use BPF_ANY.",
        (BpfCommand.MapUpdateElem or BpfCommand.MapUpdateBatch, ENOENT) => "BPF_EXIST was given but no element has this key: use BPF_ANY to create it.",
        (BpfCommand.MapUpdateElem or BpfCommand.MapUpdateBatch, EINVAL) =>
            "the update flags are not valid for this map (only BPF_ANY, BPF_NOEXIST, BPF_EXIST, and BPF_F_LOCK for values " +
            "holding a bpf_spin_lock), or the value is not valid for this map type.",
        (BpfCommand.MapDeleteElem, EINVAL) => "this map type does not delete elements, or the key is out of range (array-like maps).",
        (BpfCommand.MapLookupBatch or BpfCommand.MapUpdateBatch or BpfCommand.MapDeleteBatch, EINVAL) =>
            "this map type has no batch operations, or count, elem_flags or flags is invalid: fall back to per-element calls.",
        (BpfCommand.MapLookupBatch, ENOENT) => "no (more) elements: the batch walk is complete.",
        (BpfCommand.MapDeleteBatch, ENOENT) => "a key was not in the map; the elements before it were deleted.",
        (BpfCommand.MapLookupBatch, ENOSPC) => "a hash bucket holds more elements than count: pass larger key and value buffers.",
        (BpfCommand.MapFreeze, EBUSY) => "the map is already frozen, or it is mapped writable with mmap: unmap it first.",
        (BpfCommand.MapFreeze, EINVAL) => "this map type cannot be frozen (e.g. a struct_ops map).",

        (BpfCommand.ProgLoad, EACCES or EINVAL) =>
            "the verifier refused the program (or the load attributes: program type, expected attach type, flags, " +
            "license): its log says why.",
        (BpfCommand.ProgLoad, E2BIG) => "the program has too many instructions (at most 1,000,000 for privileged loads, 4,096 otherwise).",
        (BpfCommand.ProgLoad, ENOSPC) => "the verifier log did not fit its buffer: pass a larger log.",

        (BpfCommand.ObjPin, EEXIST) => "a file already exists at the pin path: remove it (File.Delete) or pick another path.",
        (BpfCommand.ObjPin, ENOENT) => "the pin path's directory does not exist: create it on the BPF filesystem first.",
        (BpfCommand.ObjGet, ENOENT) => "nothing is pinned at this path.",
        (BpfCommand.MapGetFdById or BpfCommand.ProgGetFdById or BpfCommand.LinkGetFdById, ENOENT) =>
            "no object has this id: it was never created or has been freed (ids are not reused soon, fds are).",
        (BpfCommand.ObjGetInfoByFd, EINVAL) => "the info buffer's tail is not zero, or this kind of fd has no info.",

        (BpfCommand.LinkCreate, EINVAL) =>
            "the program's type or expected attach type does not match the attach type (an XDP link needs an XDP program " +
            "loaded without expected attach type or with BPF_XDP), the flags are invalid, or no network device has this ifindex.",
        (BpfCommand.LinkCreate, EBUSY or EEXIST) =>
            "an XDP program is already attached to this device in this mode: if a link holds it (bpftool link shows it), " +
            "close that link's fd or remove its pin; if netlink attached it, detach it (XdpAttachment.Detach, or " +
            "ip link set dev DEV xdp off), which cannot remove a program that a link holds.",
        (BpfCommand.LinkDetach, ENOLINK) => "the link is already detached.",
        (BpfCommand.LinkDetach, EINVAL) => "this link type cannot be detached explicitly: close its fd instead.",

        (BpfCommand.ProgTestRun, EINVAL) =>
            "the test-run attributes are invalid for this program: an XDP frame must be at least 14 bytes (ETH_HLEN); " +
            "batch_size and BPF_F_TEST_XDP_LIVE_FRAMES go together, and live frames take no data_out or ctx_out.",
        (BpfCommand.ProgTestRun, E2BIG) => "batch_size is above 256, or the data is larger than a page minus headroom.",
        (BpfCommand.ProgTestRun, ENOSPC) => "data_out is smaller than the output frame: data_size_out tells the size needed.",

        (_, ENOMEM) => "the kernel could not allocate memory for the object: free resources or raise the memory cgroup limit.",
        (_, EINVAL) => "the kernel refused an attribute of this command: check every argument against the command's documentation.",
        (_, E2BIG) => "an attribute is larger than the kernel accepts.",
        (_, ENOENT) => "the object does not exist.",
        _ => "see the bpf(2) manual page for this command and errno.",
    };

}
