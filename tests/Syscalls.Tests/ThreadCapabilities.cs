using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;

namespace CpuMap.Managed.Syscalls.Tests;

/// <summary>
/// Runs code on a thread whose effective capability set lacks some capabilities: Linux keeps
/// capabilities per thread, so a root test process can see what a non-root caller would.
/// </summary>
internal static unsafe partial class ThreadCapabilities
{
    public static T Without<T>(Capability capability, Func<T> func) => Without([capability], func);

    public static T Without<T>(Capability[] capabilities, Func<T> func)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                var header = new Interop.CapUserHeader { Version = Interop.LinuxCapabilityVersion3 };
                var data = stackalloc Interop.CapUserData[2];
                if (Interop.Capget(&header, data) < 0)
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

    /// <summary>capset(2): the product only reads capabilities (Interop.Capget), so only the tests set them.</summary>
    [LibraryImport("libc", EntryPoint = "capset", SetLastError = true)]
    private static partial int CapSet(Interop.CapUserHeader* header, Interop.CapUserData* data);
}
