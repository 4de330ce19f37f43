namespace CpuMap.Managed.Syscalls.Maps;

/// <summary>The size of a CPUMAP value, which decides whether entries can carry a remote program.</summary>
public enum CpuMapValueLayout
{
    /// <summary>4 bytes, the queue size only: the only layout kernels before 5.9 accept.</summary>
    Qsize = 4,

    /// <summary>8 bytes, <see cref="BpfCpumapVal"/>: queue size and remote program (Linux 5.9+).</summary>
    QsizeAndProg = 8,
}
