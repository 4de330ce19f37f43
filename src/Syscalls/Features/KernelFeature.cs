namespace CpuMap.Managed.Syscalls;

/// <summary>
/// One optional kernel feature, probed the first time it is asked about and remembered for the process
/// (cilium/ebpf's feature tests work the same way). The kernel version it came with is only used in messages:
/// distribution kernels backport features and disable others, so the probe's answer is what counts.
/// </summary>
public sealed class KernelFeature
{
    private readonly Lazy<(FeatureState State, string Detail)> _result;

    internal KernelFeature(string name, string since, Func<(FeatureState, string)> probe)
    {
        Name = name;
        Since = since;
        _result = new Lazy<(FeatureState, string)>(() =>
        {
            try
            {
                return probe();
            }
            catch (BpfException e) when (e.Errno is Errno.EPERM or Errno.EACCES)
            {
                return (FeatureState.Unknown, $"the probe was refused ({e.Errno.Name}): {e.Hint}");
            }
        });
    }

    /// <summary>What the feature is, in the kernel's words, e.g. "XDP links (BPF_LINK_CREATE with BPF_XDP)".</summary>
    public string Name { get; }

    /// <summary>The mainline version that brought it, e.g. "5.9": for messages only.</summary>
    public string Since { get; }

    /// <summary>The probe's answer.</summary>
    public FeatureState State => _result.Value.State;

    /// <summary>Whether the probe saw the feature work.</summary>
    public bool IsAvailable => State == FeatureState.Available;

    /// <summary>What the probe saw: the kernel's answer it decided on.</summary>
    public string Detail => _result.Value.Detail;

    /// <summary>
    /// Throws <see cref="BpfOperationException"/> when the probe found the feature missing, naming
    /// <paramref name="neededBy"/>. An <see cref="FeatureState.Unknown"/> answer does not throw: the operation itself
    /// then gets the kernel's own answer, explained.
    /// </summary>
    public void Require(string neededBy)
    {
        if (State == FeatureState.Missing)
            throw new BpfOperationException(neededBy,
                $"{neededBy} needs {Name}, which this kernel lacks ({Detail}). Mainline Linux has it since {Since}: " +
                "run on a kernel that has it.");
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name}: {State.ToString().ToLowerInvariant()} ({Detail})";
}
