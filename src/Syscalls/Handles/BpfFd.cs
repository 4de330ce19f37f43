using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CpuMap.Managed.Syscalls;

/// <summary>
/// Owns one BPF file descriptor (map, program or link) and closes it exactly once. The kernel
/// object lives on while anything else holds it (a pin, a link, a program using the map).
/// </summary>
public abstract class BpfFd : SafeHandle
{
    private protected BpfFd(int fd) : base(invalidHandleValue: -1, ownsHandle: true) => SetHandle(fd);

    /// <inheritdoc/>
    public override bool IsInvalid => handle < 0;

    /// <summary>The raw descriptor number, for passing to other interfaces (e.g. ld_imm64 map references).</summary>
    public int Fd
    {
        get
        {
            ThrowIfClosed(this, GetType().Name);
            return (int)handle;
        }
    }

    /// <summary>What the object is, in the kernel's words (BPF map, BPF program, BPF link).</summary>
    private protected abstract string KindName { get; }

    /// <inheritdoc/>
    protected override bool ReleaseHandle() => Interop.Close((int)handle) == 0;

    /// <summary>
    /// Takes a reference so the fd cannot be closed and reused by another thread while the
    /// kernel reads it; pair with <see cref="SafeHandle.DangerousRelease"/> when <paramref name="added"/>.
    /// Null and disposed handles are refused by name.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int AddRef(BpfFd? fd, ref bool added, string paramName)
    {
        ThrowIfClosed(fd, paramName);
        fd.DangerousAddRef(ref added);
        return (int)fd.handle;
    }

    /// <summary>Throws <see cref="ArgumentNullException"/> or <see cref="ObjectDisposedException"/> naming the input.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void ThrowIfClosed([NotNull] BpfFd? fd, string paramName)
    {
        ArgumentNullException.ThrowIfNull(fd, paramName);
        if (fd.IsClosed)
            ThrowClosed(fd, paramName);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowClosed(BpfFd fd, string paramName)
        => throw new ObjectDisposedException(paramName,
            $"The {fd.KindName} fd passed as '{paramName}' was already disposed; keep the handle open for as long " +
            "as you use it (the kernel object may live on, but this process no longer holds it).");
}
