namespace CpuMap.Managed.Syscalls;

/// <summary>The three kinds of BPF object an fd can refer to.</summary>
internal enum BpfObjectKind
{
    Map,
    Prog,
    Link,
}
