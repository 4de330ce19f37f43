namespace CpuMap.Managed.Syscalls;

/// <summary>
/// The calling thread's effective capabilities, and the one explanation of an EPERM: which capability the
/// operation needs, whether the process lacks it, and how to grant it where this tool runs (a binary, a
/// container, a Kubernetes pod). The test is the capability, never the euid: root without CAP_BPF (in a user
/// namespace) is refused, and a non-root process with CAP_BPF and CAP_NET_ADMIN is a normal deployment.
/// </summary>
public static unsafe class Capabilities
{
    /// <summary>The effective set of the calling thread, one bit per <see cref="Capability"/> number.</summary>
    public static ulong Effective
    {
        get
        {
            var header = new Interop.CapUserHeader { Version = Interop.LinuxCapabilityVersion3, Pid = 0 };
            var data = stackalloc Interop.CapUserData[2];
            if (Interop.Capget(&header, data) != 0)
                return 0; // capget on the caller only fails for a bad version: report "none" and let the kernel's answer stand
            return data[0].Effective | ((ulong)data[1].Effective << 32);
        }
    }

    /// <summary>
    /// Whether the calling thread holds <paramref name="capability"/>, as the kernel checks it for bpf(2): CAP_SYS_ADMIN
    /// also passes for CAP_BPF and CAP_PERFMON (bpf_capable(), perfmon_capable()).
    /// </summary>
    public static bool Has(Capability capability) => Has(Effective, capability);

    internal static bool Has(ulong effective, Capability capability)
    {
        static bool Bit(ulong set, Capability c) => (set >> (int)c & 1) != 0;
        return Bit(effective, capability)
            || (capability is Capability.Bpf or Capability.Perfmon && Bit(effective, Capability.SysAdmin));
    }

    /// <summary>The capabilities of <paramref name="needed"/> that the calling thread lacks.</summary>
    public static IReadOnlyList<Capability> Missing(params IEnumerable<Capability> needed)
    {
        var effective = Effective;
        var missing = new List<Capability>();
        foreach (var capability in needed)
            if (!Has(effective, capability) && !missing.Contains(capability))
                missing.Add(capability);
        return missing;
    }

    /// <summary>The kernel's name, e.g. CAP_NET_ADMIN.</summary>
    public static string KernelName(this Capability capability) => capability switch
    {
        Capability.NetAdmin => "CAP_NET_ADMIN",
        Capability.SysAdmin => "CAP_SYS_ADMIN",
        Capability.Perfmon => "CAP_PERFMON",
        Capability.Bpf => "CAP_BPF",
        _ => $"capability {(int)capability}",
    };

    /// <summary>
    /// Why <paramref name="action"/> got EPERM: the capabilities it needs that this process lacks and how to grant them,
    /// or, when none is missing, what else refuses it (a seccomp profile, lockdown, a security module).
    /// </summary>
    public static string ExplainDenied(string action, params IReadOnlyList<Capability> needed)
    {
        var missing = Missing(needed);
        var names = Join(needed, " and ", KernelName);
        if (missing.Count == 0)
            return $"{action} needs {names}, which this process has, so something else refused it: a seccomp profile " +
                "(a container runtime's default one may refuse bpf(2) or unshare(2): see the README's container section), " +
                "kernel lockdown, or a Linux security module (SELinux, AppArmor).";
        var lacking = Join(missing, " and ", KernelName);
        var seccomp = (missing.Contains(Capability.Bpf) || missing.Contains(Capability.Perfmon)) && UnderSeccompFilter()
            ? " This process runs under a seccomp filter, as in a container: the default profiles of podman and docker let " +
              "bpf(2) through only with CAP_SYS_ADMIN, so there add SYS_ADMIN (see the README's container section)."
            : "";
        return $"{action} needs {names}, and this process lacks {lacking}. {HowToGrant(missing)}{seccomp}";
    }

    /// <summary>Whether a seccomp filter confines this process ("Seccomp: 2" in /proc/self/status); false where /proc is missing.</summary>
    private static bool UnderSeccompFilter()
    {
        try
        {
            return File.ReadLines("/proc/self/status").Any(line => line.StartsWith("Seccomp:", StringComparison.Ordinal) && line.EndsWith('2'));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>How to grant <paramref name="capabilities"/> to a binary, a container and a Kubernetes pod.</summary>
    public static string HowToGrant(IReadOnlyList<Capability> capabilities)
    {
        var setcap = Join(capabilities, ",", c => c.KernelName().ToLowerInvariant());
        return $"Run as root, or grant {(capabilities.Count == 1 ? "it" : "them")}: 'setcap {setcap}+ep BINARY' for a binary; " +
            $"{Join(capabilities, " ", c => "--cap-add " + Short(c))} for podman or docker; " +
            $"securityContext.capabilities.add: [{Join(capabilities, ", ", Short)}] in a Kubernetes pod.";
    }

    /// <summary>The name without CAP_, as --cap-add and Kubernetes take it.</summary>
    private static string Short(Capability capability) => capability.KernelName()["CAP_".Length..];

    // A loop rather than LINQ over the enum: each generic instantiation over a value type is more native code in the AOT binary.
    private static string Join(IReadOnlyList<Capability> capabilities, string separator, Func<Capability, string> text)
    {
        var joined = new System.Text.StringBuilder();
        for (var i = 0; i < capabilities.Count; i++)
            joined.Append(i == 0 ? "" : separator).Append(text(capabilities[i]));
        return joined.ToString();
    }
}
