using CpuMap.Managed.Elf;
using CpuMap.Managed.Elf.Btf;

namespace CpuMap.Managed.Loader;

/// <summary>
/// The running kernel's own BTF (/sys/kernel/btf/vmlinux), where programs that attach by BTF id
/// (tp_btf/, fentry/, fexit/...) find their target and kfuncs and typed ksyms their ids. A few
/// megabytes, read with one read only when a program needs it, once per process, and kept as bytes:
/// names are looked up by a scan over them (<see cref="RawBtf"/>), no object per type.
/// </summary>
public static class KernelBtf
{
    /// <summary>Where the kernel exposes its BTF (CONFIG_DEBUG_INFO_BTF).</summary>
    public const string VmlinuxPath = "/sys/kernel/btf/vmlinux";

    // The kernel's BTF cannot change while it runs: read it once. A failure (no BTF) is kept too.
    private static readonly Lazy<RawBtf> Lazy = new(() => Read(VmlinuxPath), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The kernel's BTF, read on first use.</summary>
    /// <exception cref="InvalidOperationException">The kernel exposes no BTF, or it cannot be read.</exception>
    public static RawBtf Vmlinux => Lazy.Value;

    /// <summary>
    /// Reads a complete raw BTF blob such as /sys/kernel/btf/vmlinux (not an ELF section).
    /// A kernel module's /sys/kernel/btf/MODULE is split BTF (its ids and names continue vmlinux's)
    /// and does not parse on its own.
    /// </summary>
    /// <exception cref="InvalidOperationException">The file is missing or unreadable, or is not valid BTF.</exception>
    public static RawBtf Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException(
                $"Cannot read the kernel's BTF at {path} ({e.Message}); programs that attach by BTF id need a kernel " +
                "built with CONFIG_DEBUG_INFO_BTF=y (and sysfs mounted at /sys).", e);
        }
        try
        {
            return RawBtf.Parse(bytes, path);
        }
        catch (BpfObjectException e)
        {
            throw new InvalidOperationException($"The kernel's BTF at {path} is not valid BTF: {e.Message}", e);
        }
    }
}
