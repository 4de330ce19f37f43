using CpuMap.Managed.Elf;
using CpuMap.Managed.Elf.Btf;
using CpuMap.Managed.Syscalls;

namespace CpuMap.Managed.Loader;

/// <summary>
/// The running kernel's own BTF (/sys/kernel/btf/vmlinux), where programs that attach by BTF id
/// (tp_btf/, fentry/, fexit/...) find their target and kfuncs and typed ksyms their ids. A few
/// megabytes, opened only when a program needs it, once per process, and mapped read-only where the
/// kernel allows it (Linux 6.16+): no read(2) per page, no copy, no resident memory of this process's own.
/// Older kernels' file cannot be mapped and is read instead. Names are looked up by a scan over the
/// bytes in place (<see cref="RawBtf"/>), no object per type.
/// </summary>
public static class KernelBtf
{
    /// <summary>Where the kernel exposes its BTF (CONFIG_DEBUG_INFO_BTF).</summary>
    public const string VmlinuxPath = "/sys/kernel/btf/vmlinux";

    // The kernel's BTF cannot change while it runs: map it once. A failure (no BTF) is kept too.
    private static readonly Lazy<RawBtf> Lazy = new(() => Read(VmlinuxPath), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// The <see cref="BpfOperationException.Operation"/> of every refusal to read, or to find something in, the kernel's
    /// BTF: callers that can do without it (statistics that only name programs) catch this one and no other.
    /// </summary>
    public const string Operation = "read the kernel's BTF";

    /// <summary>The kernel's BTF, mapped (or read) on first use.</summary>
    /// <exception cref="BpfOperationException">The kernel exposes no BTF, or it cannot be read (<see cref="Operation"/>).</exception>
    public static RawBtf Vmlinux => Lazy.Value;

    /// <summary>
    /// Maps, or when the file cannot be mapped reads, a complete raw BTF blob such as /sys/kernel/btf/vmlinux (not an ELF section).
    /// A kernel module's /sys/kernel/btf/MODULE is split BTF (its ids and names continue vmlinux's)
    /// and does not parse on its own. A mapped file stays mapped for the life of the process (its pages are the
    /// kernel's, not this process's): read the kernel's own BTF through <see cref="Vmlinux"/>, which does it once.
    /// </summary>
    /// <exception cref="BpfOperationException">The file is missing or unreadable, or is not valid BTF (<see cref="Operation"/>).</exception>
    public static RawBtf Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ReadOnlyFileMapping? mapping;
        ReadOnlyMemory<byte> bytes;
        try
        {
            mapping = ReadOnlyFileMapping.TryMap(path, out _);
            bytes = mapping?.Memory ?? File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BpfOperationException(Operation,
                $"Cannot read the kernel's BTF at {path} ({e.Message}); programs that attach by BTF id need a kernel " +
                "built with CONFIG_DEBUG_INFO_BTF=y (and sysfs mounted at /sys).", innerException: e);
        }
        try
        {
            return RawBtf.Parse(bytes, path);
        }
        catch (BpfObjectException e)
        {
            ((IDisposable?)mapping)?.Dispose();
            throw new BpfOperationException(Operation, $"The kernel's BTF at {path} is not valid BTF: {e.Message}", innerException: e);
        }
    }
}
