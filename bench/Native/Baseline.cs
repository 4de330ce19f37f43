using System.Runtime.InteropServices;
using CpuMap.Managed.Syscalls;

namespace CpuMap.Managed.Bench.Native;

/// <summary>
/// The C twin (native/*.c, built by this project into libcpumap_bench_baseline.so). Each call
/// repeats its operation <c>count</c> times inside C, so one managed-to-native transition is
/// spread over the whole loop and the C rows are as close to a plain C program as a call from
/// .NET can be.
/// </summary>
internal static unsafe partial class Baseline
{
    private const string Library = "libcpumap_bench_baseline.so";

    [LibraryImport(Library, EntryPoint = "bl_map_lookup")]
    internal static partial int MapLookup(int fd, void* key, void* value, int count);

    [LibraryImport(Library, EntryPoint = "bl_map_update")]
    internal static partial int MapUpdate(int fd, void* key, void* value, ulong flags, int count);

    [LibraryImport(Library, EntryPoint = "bl_map_delete_range")]
    internal static partial int MapDeleteRange(int fd, uint firstKey, int count);

    [LibraryImport(Library, EntryPoint = "bl_map_lookup_batch")]
    internal static partial int MapLookupBatch(int fd, void* keys, void* values, uint batch);

    [LibraryImport(Library, EntryPoint = "bl_map_update_batch")]
    internal static partial int MapUpdateBatch(int fd, void* keys, void* values, uint count);

    [LibraryImport(Library, EntryPoint = "bl_mmap_write")]
    internal static partial void MmapWrite(uint* values, uint entries, int count);

    [LibraryImport(Library, EntryPoint = "bl_libbpf_silence")]
    internal static partial void LibbpfSilence();

    [LibraryImport(Library, EntryPoint = "bl_libbpf_version")]
    private static partial byte* LibbpfVersionString();

    /// <summary>The version of the libbpf the baseline linked, e.g. "v1.1".</summary>
    internal static string LibbpfVersion => Marshal.PtrToStringUTF8((nint)LibbpfVersionString()) ?? "unknown";

    [LibraryImport(Library, EntryPoint = "bl_libbpf_open_mem_close")]
    internal static partial int LibbpfOpenMemClose(void* bytes, nuint size, int count);

    [LibraryImport(Library, EntryPoint = "bl_libbpf_open_load_close", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int LibbpfOpenLoadClose(string path, int count);

    [LibraryImport(Library, EntryPoint = "bl_libbpf_phases", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int LibbpfPhases(string path, out ulong openNs, out ulong loadNs, out ulong closeNs);

    /// <summary>
    /// Turns a C result into a count, or an exception naming the call and its errno: a baseline
    /// that fails silently would make the managed side look slow or fast for no reason.
    /// </summary>
    internal static int Check(int result, string call)
        => result >= 0 ? result : throw new InvalidOperationException($"The C baseline's {call} failed with {((Errno)(-result)).NameAndDescription}.");
}
