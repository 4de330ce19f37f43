using System.Runtime.InteropServices;

namespace CpuMap.Managed.Programs.Tests;

/// <summary>
/// Pins the calling thread to one CPU for a test, so that every BPF_PROG_TEST_RUN runs there and one
/// CPU's cpus_iterator sees the whole sequence. Dispose restores the thread's previous mask.
/// </summary>
internal sealed class CpuAffinity : IDisposable
{
    private const int MaskBytes = 128; // cpu_set_t: 1024 CPUs
    private readonly byte[] _previous = new byte[MaskBytes];

    private CpuAffinity(int cpu)
    {
        if (sched_getaffinity(0, MaskBytes, _previous) != 0)
            throw new InvalidOperationException($"sched_getaffinity failed: errno {Marshal.GetLastPInvokeError()}");
        var mask = new byte[MaskBytes];
        mask[cpu / 8] = (byte)(1 << (cpu % 8));
        if (sched_setaffinity(0, MaskBytes, mask) != 0)
            throw new InvalidOperationException($"sched_setaffinity to CPU {cpu} failed: errno {Marshal.GetLastPInvokeError()}");
        Cpu = cpu;
    }

    public int Cpu { get; }

    public static CpuAffinity Pin(int cpu) => new(cpu);

    public void Dispose() => sched_setaffinity(0, MaskBytes, _previous);

    [DllImport("libc", SetLastError = true)]
    private static extern int sched_getaffinity(int pid, nint size, byte[] mask);

    [DllImport("libc", SetLastError = true)]
    private static extern int sched_setaffinity(int pid, nint size, byte[] mask);
}
