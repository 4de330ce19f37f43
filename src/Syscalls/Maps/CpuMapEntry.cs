namespace CpuMap.Managed.Syscalls.Maps;

/// <summary>A present CPUMAP entry.</summary>
/// <param name="Cpu">The CPU that receives the redirected frames (the key).</param>
/// <param name="Qsize">The queue size.</param>
/// <param name="ProgId">The id of the program the remote CPU runs on each frame, 0 for none.</param>
public readonly record struct CpuMapEntry(int Cpu, uint Qsize, uint ProgId);
