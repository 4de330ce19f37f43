namespace CpuMap.Managed.Syscalls;

/// <summary>
/// One request this process made of the kernel, as <see cref="KernelTrace"/> reports it: the system call, the command in
/// the kernel's words, the attributes that matter decoded, and the answer with its time.
/// </summary>
/// <param name="Call">"bpf" for bpf(2), "netlink" for an rtnetlink request.</param>
/// <param name="Command">E.g. BPF_MAP_CREATE or RTM_NEWLINK.</param>
/// <param name="Attributes">The attributes decoded, e.g. "map_type=BPF_MAP_TYPE_CPUMAP key_size=4 ...".</param>
/// <param name="Result">The call's return value: an fd for the commands that make one, else 0; -1 on failure.</param>
/// <param name="Error">The errno on failure, else null.</param>
/// <param name="Duration">How long the call took, from entering to returning.</param>
public readonly record struct KernelRequest(string Call, string Command, string Attributes, long Result, Errno? Error, TimeSpan Duration)
{
    /// <summary>"bpf(BPF_MAP_CREATE, map_type=... ) = 5  (12.3 µs)", as strace would show it, with the attributes decoded.</summary>
    public override string ToString()
        => $"{Call}({Command}{(Attributes.Length > 0 ? ", " + Attributes : "")}) = {(Error is { } e ? $"-1 {e.Name}" : Result.ToString())}  ({Duration.TotalMicroseconds:F1} µs)";
}
