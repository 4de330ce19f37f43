using CpuMap.Managed.Syscalls;
using CpuMap.Managed.Syscalls.Maps;

namespace CpuMap.Managed.Programs;

/// <summary>What <see cref="SoftwareRss.Load"/> sets up: the mode, the CPUs, their queues and the remote program.</summary>
public sealed record SoftwareRssOptions
{
    /// <summary>"pass" and "drop": the remote programs this project builds (they count what they deliver).</summary>
    public const string RemotePass = "pass", RemoteDrop = "drop";

    /// <summary>"redirect": the remote CPUs send each frame out of <see cref="RedirectDevice"/> (see <see cref="RemoteDeviceRedirect"/>).</summary>
    public const string RemoteRedirect = "redirect";

    /// <summary>How each frame's CPU is picked.</summary>
    public RssMode Mode { get; init; } = RssMode.RoundRobin;

    /// <summary>
    /// With <see cref="RssMode.FlowHash"/>: the indirection table's buckets (a power of two up to
    /// <see cref="RssIndirectionTable.MaxBuckets"/>) between the hash and the CPUs.
    /// </summary>
    public int Buckets { get; init; } = RssIndirectionTable.DefaultBuckets;

    /// <summary>The CPUs frames go to, each once; null for every possible CPU.</summary>
    public IReadOnlyList<int>? Cpus { get; init; }

    /// <summary>Frames each remote CPU's queue holds, 1..16384.</summary>
    public uint Qsize { get; init; } = CpuRedirect.DefaultQsize;

    /// <summary>
    /// The program each remote CPU runs on its frames: <see cref="RemotePass"/> or <see cref="RemoteDrop"/>
    /// (counting, then XDP_PASS to the network stack or XDP_DROP), <see cref="RemoteRedirect"/> (counting, then out of
    /// <see cref="RedirectDevice"/>), or <c>FILE.o:PROGRAM</c> from the user's object.
    /// </summary>
    public string Remote { get; init; } = RemotePass;

    /// <summary>With <see cref="Remote"/> = <see cref="RemoteRedirect"/>: the device frames leave by.</summary>
    public string? RedirectDevice { get; init; }

    /// <summary>
    /// With <see cref="Remote"/> = <see cref="RemoteRedirect"/>: the DEVMAP entry's egress program, run on each frame as it
    /// leaves: null for none, <see cref="RemoteDeviceRedirect.EgressPass"/> (count, then send), or <c>FILE.o:PROGRAM</c> in
    /// <c>SEC("xdp/devmap")</c>.
    /// </summary>
    public string? Egress { get; init; }

    /// <summary>
    /// <c>FILE.o:PROGRAM</c>: the user's own redirect program, run instead of this project's (<see cref="Mode"/> is then
    /// not used), its maps filled by the convention <see cref="ObjectRedirect"/> describes; null for this project's.
    /// </summary>
    public string? Program { get; init; }

    /// <summary>With <see cref="Program"/>: the object's CPUMAP, where it has more than one; null for its only one.</summary>
    public string? CpuMapName { get; init; }

    /// <summary>With <see cref="Program"/>: the object's array of CPUs to send to.</summary>
    public string CpusAvailableName { get; init; } = ObjectRedirect.CpusAvailableName;

    /// <summary>The CPU list to configure: <see cref="Cpus"/>, or every possible CPU.</summary>
    public IReadOnlyList<int> ResolvedCpus => Cpus ?? CpuList.Possible;

    /// <summary>Checks every option before anything is created; the errors name the option, the cause and the fix.</summary>
    public void Validate()
    {
        _ = Mode.Name();
        RssIndirectionTable.CheckBuckets(Buckets, nameof(Buckets));
        if (Qsize is 0 or > BpfCpuMap.MaxQsize)
            throw new ArgumentOutOfRangeException(nameof(Qsize), Qsize,
                $"qsize {Qsize} is out of range: a CPUMAP queue holds 1 to {BpfCpuMap.MaxQsize} frames (0 would delete the entry, more gives EOVERFLOW).");
        ArgumentException.ThrowIfNullOrEmpty(Remote, nameof(Remote));
        if (Remote is not (RemotePass or RemoteDrop or RemoteRedirect))
            RemoteObjectProgram.Parse(Remote);
        ValidateRedirect();
        if (Program is not null)
            RemoteObjectProgram.Parse(Program);
        if (Cpus is null)
            return;
        var possible = CpuList.Possible;
        if (Cpus.Count == 0)
            throw new ArgumentException($"The CPU list is empty: give at least one of the possible CPUs ({possible}).", nameof(Cpus));
        foreach (var cpu in Cpus)
            if (!possible.Contains(cpu))
                throw new ArgumentOutOfRangeException(nameof(Cpus), cpu,
                    $"CPU {cpu} is not a possible CPU of this machine (possible: {possible}, from {CpuList.PossiblePath}): remove it from the CPU list.");
        if (Cpus.Distinct().Count() != Cpus.Count)
            throw new ArgumentException($"The CPU list [{string.Join(',', Cpus)}] names a CPU twice: list each CPU once.", nameof(Cpus));
    }

    /// <summary>The options of the remote action redirect, checked together: the device is needed by it and only by it.</summary>
    private void ValidateRedirect()
    {
        if (Remote == RemoteRedirect)
        {
            if (string.IsNullOrEmpty(RedirectDevice))
                throw new ArgumentException(
                    "The remote action redirect sends frames out of another device, and none is named: give it (RedirectDevice, --redirect-dev IF).",
                    nameof(RedirectDevice));
            RemoteDeviceRedirect.CheckEgress(Egress);
            return;
        }
        if (RedirectDevice is not null)
            throw new ArgumentException(
                $"A redirect device ('{RedirectDevice}') is only for the remote action redirect, and the remote action is '{Remote}': " +
                "use redirect as the remote action (--remote redirect), or leave the device out.", nameof(RedirectDevice));
        if (Egress is not null)
            throw new ArgumentException(
                $"An egress program ('{Egress}') runs in the DEVMAP entry of the remote action redirect, and the remote action is '{Remote}': " +
                "use redirect as the remote action (--remote redirect --redirect-dev IF), or leave the egress program out.", nameof(Egress));
    }

    /// <summary>Parses a CPU list in the kernel's cpulist format ("0-3,5"); "all" means every possible CPU.</summary>
    public static IReadOnlyList<int>? ParseCpus(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Trim() == "all")
            return null;
        CpuList list;
        try
        {
            list = CpuList.Parse(text, "the CPU list");
        }
        catch (FormatException e)
        {
            throw new ArgumentException($"'{text}' is not a CPU list: write CPU numbers and ranges like 0-3,5 (or 'all'). {e.Message}", nameof(text), e);
        }
        if (list.Count == 0)
            throw new ArgumentException($"The CPU list '{text}' is empty: give at least one of the possible CPUs ({CpuList.Possible}).", nameof(text));
        return list.ToArray();
    }
}
