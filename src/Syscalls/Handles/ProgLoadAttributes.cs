namespace CpuMap.Managed.Syscalls;

/// <summary>The load attributes the kernel does not report back, kept from BPF_PROG_LOAD.</summary>
/// <param name="ExpectedAttachType">The expected attach type, or null when none was given.</param>
/// <param name="Flags">prog_flags, e.g. <see cref="BpfProgFlags.XdpHasFrags"/>.</param>
public sealed record ProgLoadAttributes(BpfAttachType? ExpectedAttachType, BpfProgFlags Flags);
