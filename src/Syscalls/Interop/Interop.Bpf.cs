using System.Runtime.InteropServices;

namespace CpuMap.Managed.Syscalls;

internal static unsafe partial class Interop
{
    /// <summary>__NR_bpf differs per architecture; only the two this project runs on are known.</summary>
    private static readonly long BpfSyscallNumber = RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 321,
        Architecture.Arm64 => 280,
        var other => throw new PlatformNotSupportedException(
            $"bpf(2) is wired up for x86-64 (syscall 321) and arm64 (280) only, not {other}."),
    };

    /// <summary>
    /// bpf(cmd, attr, size). Returns the kernel's non-negative result, or -1 with the errno
    /// available from <see cref="Marshal.GetLastPInvokeError"/>.
    /// </summary>
    internal static int Bpf(BpfCommand command, void* attr, uint size)
        => KernelTrace.IsListening ? TracedBpf(command, attr, size) : (int)Syscall(BpfSyscallNumber, (long)command, attr, size);

    /// <summary>The same call, reported to <see cref="KernelTrace"/>; the errno is kept across the report for the caller.</summary>
    private static int TracedBpf(BpfCommand command, void* attr, uint size)
    {
        var attributes = BpfAttrDecoder.Describe(command, attr, size); // before the call: the kernel writes some fields back
        var started = KernelTrace.Start();
        var result = (int)Syscall(BpfSyscallNumber, (long)command, attr, size);
        var errno = Marshal.GetLastPInvokeError();
        KernelTrace.Report("bpf", KernelNames.Of(command), attributes, result, errno, started);
        Marshal.SetLastPInvokeError(errno);
        return result;
    }

    /// <summary>bpf(2) with an attribute struct; its size is the struct's size.</summary>
    internal static int Bpf<TAttr>(BpfCommand command, ref TAttr attr) where TAttr : unmanaged
    {
        fixed (TAttr* p = &attr)
            return Bpf(command, p, (uint)sizeof(TAttr));
    }
}
