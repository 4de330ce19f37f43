namespace CpuMap.Managed.Programs;

/// <summary>
/// The kernel versions the software-RSS features need, checked before anything is created so a
/// user of an old kernel reads which feature is missing and which version brings it, instead of
/// an EINVAL from the middle of a setup.
/// </summary>
public static class KernelRequirements
{
    /// <summary>XDP attached through BPF_LINK_CREATE (detaches when the process ends): Linux 5.9.</summary>
    public static readonly Version XdpLinks = new(5, 9);

    /// <summary>Programs in CPUMAP entries (8-byte value, BPF_XDP_CPUMAP): Linux 5.9.</summary>
    public static readonly Version CpuMapPrograms = new(5, 9);

    /// <summary>BPF_PROG_TEST_RUN with BPF_F_TEST_XDP_LIVE_FRAMES: Linux 5.18.</summary>
    public static readonly Version LiveFrames = new(5, 18);

    /// <summary>The running kernel's version (major.minor.patch of uname -r).</summary>
    public static Version Running => Environment.OSVersion.Version;

    /// <summary>Throws <see cref="PlatformNotSupportedException"/> naming <paramref name="feature"/> when the kernel is older than <paramref name="needed"/>.</summary>
    public static void Require(Version needed, string feature, Version? running = null)
    {
        ArgumentNullException.ThrowIfNull(needed);
        running ??= Running;
        if (!OperatingSystem.IsLinux() || running < needed)
            throw new PlatformNotSupportedException(
                $"{feature} needs Linux {needed.Major}.{needed.Minor} or later; this kernel is {(OperatingSystem.IsLinux() ? running.ToString() : "not Linux")}. " +
                "Upgrade the kernel or run on a newer machine.");
    }

    /// <summary>Throws <see cref="UnauthorizedAccessException"/> unless the process is root: bpf(2) and netlink changes need it.</summary>
    public static void RequireRoot(string action)
    {
        if (!Environment.IsPrivilegedProcess)
            throw new UnauthorizedAccessException(
                $"{action} needs root (CAP_BPF, CAP_NET_ADMIN and CAP_SYS_ADMIN): run it with sudo.");
    }
}
