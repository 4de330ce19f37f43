using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;

namespace CpuMap.Managed.Syscalls.Tests;

/// <summary>
/// Runs code on a thread whose effective capability set lacks some capabilities: Linux keeps
/// capabilities per thread, so a root test process can see what a non-root caller would.
/// </summary>
internal static unsafe partial class ThreadCapabilities
{
    private const uint LinuxCapabilityVersion3 = 0x20080522;

    public static T Without<T>(Capability capability, Func<T> func) => Without([capability], func);

    public static T Without<T>(Capability[] capabilities, Func<T> func)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                var header = new CapHeader { Version = LinuxCapabilityVersion3 };
                var data = stackalloc CapData[2];
                if (CapGet(&header, data) < 0)
                    throw new InvalidOperationException($"capget failed: {Marshal.GetLastPInvokeError()}");
                foreach (var capability in capabilities)
                    data[(int)capability / 32].Effective &= ~(1u << ((int)capability % 32));
                if (CapSet(&header, data) < 0)
                    throw new InvalidOperationException($"capset failed: {Marshal.GetLastPInvokeError()}");
                result = func();
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        });
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct CapHeader
    {
        public uint Version;
        public int Pid;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct CapData
    {
        public uint Effective;
        public uint Permitted;
        public uint Inheritable;
    }

    [LibraryImport("libc", EntryPoint = "capget", SetLastError = true)]
    private static partial int CapGet(CapHeader* header, CapData* data);

    [LibraryImport("libc", EntryPoint = "capset", SetLastError = true)]
    private static partial int CapSet(CapHeader* header, CapData* data);
}
