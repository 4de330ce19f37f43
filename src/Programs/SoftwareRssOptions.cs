using CpuMap.Managed.Syscalls;
using CpuMap.Managed.Syscalls.Maps;
using CpuMap.Managed.Programs.Redirect;
using CpuMap.Managed.Programs.Remote;

namespace CpuMap.Managed.Programs;

/// <summary>What <see cref="SoftwareRss.Load"/> sets up: the mode, the CPUs, their queues and the remote program.</summary>
public sealed record SoftwareRssOptions
{
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

    /// <summary>What each remote CPU does with its frames: count and pass them (the default), count and drop them, count and
    /// redirect them out of another device, or run the user's own program.</summary>
    public RemoteAction Remote { get; init; } = RemoteAction.Pass;

    /// <summary>
    /// The user's own redirect program, run instead of this project's (<see cref="Mode"/> is then not used), its maps filled
    /// by the convention <see cref="ObjectRedirect"/> describes; null for this project's.
    /// </summary>
    public ObjectProgram? Program { get; init; }

    /// <summary>With <see cref="Program"/>: the object's CPUMAP, where it has more than one; null for its only one.</summary>
    public string? CpuMapName { get; init; }

    /// <summary>With <see cref="Program"/>: the object's array of CPUs to send to.</summary>
    public string CpusAvailableName { get; init; } = ObjectRedirect.CpusAvailableName;

    /// <summary>The CPU list to configure: <see cref="Cpus"/>, or every possible CPU.</summary>
    public IReadOnlyList<int> ResolvedCpus => Cpus ?? CpuList.Possible;

    /// <summary>
    /// Checks every option before anything is created, each by its one rule (<see cref="RssIndirectionTable.IsValidBuckets"/>,
    /// <see cref="BpfCpuMap.IsValidQsize"/>, <see cref="CpuList.IsValidSelection"/>, <see cref="ObjectProgram.FileExists"/>);
    /// the errors name the option, the cause and the fix.
    /// </summary>
    public void Validate()
    {
        _ = Mode.Name();
        RssIndirectionTable.CheckBuckets(Buckets, nameof(Buckets));
        if (!BpfCpuMap.IsValidQsize(Qsize, out var qsize))
            throw new ArgumentOutOfRangeException(nameof(Qsize), Qsize, qsize);
        ArgumentNullException.ThrowIfNull(Remote, nameof(Remote));
        if (Cpus is not null && !CpuList.IsValidSelection(Cpus, out var cpus))
            throw new ArgumentException(cpus, nameof(Cpus));
        CheckFile(Program, nameof(Program));
        switch (Remote)
        {
            case RemoteAction.UserProgram user:
                CheckFile(user.Program, nameof(Remote));
                break;
            case RemoteAction.Redirect { Egress: EgressAction.UserProgram egress }:
                CheckFile(egress.Program, nameof(Remote));
                break;
        }
    }

    private static void CheckFile(ObjectProgram? program, string option)
    {
        if (program is not null && !program.FileExists(out var missing))
            throw new ArgumentException(missing, option);
    }
}
