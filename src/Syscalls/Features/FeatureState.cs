namespace CpuMap.Managed.Syscalls;

/// <summary>What a feature probe found.</summary>
public enum FeatureState
{
    /// <summary>The kernel did what the feature needs.</summary>
    Available,

    /// <summary>The kernel answered as a kernel without the feature does.</summary>
    Missing,

    /// <summary>The probe itself was refused (EPERM without the capability, a seccomp filter): nothing is known.</summary>
    Unknown,
}
