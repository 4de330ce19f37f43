using static CpuMap.Managed.Errno;

namespace CpuMap.Managed.Syscalls.Maps;

/// <summary>
/// The sentences that explain what CPUMAP updates mean. The same words serve the checks made
/// before a call and the explanation of an errno after one, since the kernel's answers alone
/// (ENOMEM for a wrong program, silent deletion for qsize 0) mislead.
/// </summary>
internal static class CpuMapErrors
{
    internal static string CpuNotBelowMaxEntries(int cpu, uint maxEntries)
        => $"CPU {cpu} is not below this CPUMAP's max_entries ({maxEntries}); the kernel answers E2BIG. " +
           $"Use a CPU below {maxEntries}, or create the map with a larger maxEntries.";

    internal static string CpuNotPossible(int cpu)
        => $"CPU {cpu} is not a possible CPU of this machine (possible: {CpuList.Possible}); the kernel answers ENODEV. " +
           $"Pick a CPU listed in {CpuList.PossiblePath}.";

    internal const string QsizeZero =
        "A qsize of 0 makes the kernel delete the entry silently instead of setting it: give a queue size from 1 to 16384 " +
        "(xdp-bench uses 2048 by default), and remove an entry with Remove.";

    internal static string QsizeTooLarge(uint qsize)
        => $"A qsize of {qsize} is above the kernel's limit of {BpfCpuMap.MaxQsize} frames per CPU queue; the kernel answers " +
           "EOVERFLOW. Pass a queue size from 1 to 16384.";

    internal const string NoExist =
        "BPF_NOEXIST always fails on a CPUMAP with EEXIST: every slot of the array exists, set or not. Use BPF_ANY " +
        "(or BPF_EXIST, which behaves the same on a CPUMAP).";

    internal const string InvalidFlags =
        "A CPUMAP update takes BPF_ANY or BPF_EXIST only (BPF_F_LOCK and other bits give EINVAL).";

    internal const string NotXdp =
        "a CPUMAP runs XDP programs only; the kernel answers ENOMEM (not a memory shortage) for any other program or fd. " +
        "Pass an XDP program loaded with expected attach type BPF_XDP_CPUMAP.";

    internal const string WrongAttachType =
        "the program was not loaded with expected attach type BPF_XDP_CPUMAP, and the kernel refuses it with ENOMEM " +
        "(not a memory shortage). Load it with Bpf.ProgLoad(BpfProgType.Xdp, ..., expectedAttachType: BpfAttachType.XdpCpumap) " +
        "(in C: SEC(\"xdp/cpumap\")).";

    internal static string FragsMismatch(bool programHasFrags)
        => $"the program was loaded {(programHasFrags ? "with" : "without")} BPF_F_XDP_HAS_FRAGS but this CPUMAP was first used by " +
           $"a program {(programHasFrags ? "without" : "with")} it; the first program that uses a CPUMAP fixes the frags setting for " +
           "good (even after it is closed), and the kernel refuses the other with ENOMEM. Load the remote program with the same " +
           "frags setting as the redirect program (SEC(\"xdp.frags/cpumap\") versus SEC(\"xdp/cpumap\")), or use a new CPUMAP.";

    /// <summary>The explanation of an errno from BPF_MAP_UPDATE_ELEM on a CPUMAP.</summary>
    internal static string ExplainUpdate(Errno errno, int cpu, uint qsize, uint maxEntries, ProgFd? program)
        => errno switch
        {
            E2BIG => CpuNotBelowMaxEntries(cpu, maxEntries),
            ENODEV => CpuNotPossible(cpu),
            EOVERFLOW => QsizeTooLarge(qsize),
            EEXIST => NoExist,
            EINVAL => InvalidFlags,
            ENOMEM when program is not null => ExplainRefusedProgram(program),
            _ => BpfErrors.Hint(BpfCommand.MapUpdateElem, errno),
        };

    /// <summary>
    /// ENOMEM for a remote program has two causes the kernel does not tell apart; say which one
    /// it must be when the load attributes are known, else both with their fixes.
    /// </summary>
    private static string ExplainRefusedProgram(ProgFd program)
    {
        var known = program.LoadAttributes;
        if (known is not null && known.ExpectedAttachType != BpfAttachType.XdpCpumap)
            return $"The {program} was refused: {WrongAttachType}";
        if (known is not null)
            return $"The {program} was refused: {FragsMismatch((known.Flags & BpfProgFlags.XdpHasFrags) != 0)}";
        return $"The {program} was refused with ENOMEM, which here does not mean a memory shortage. The kernel does not report " +
               "a program's expected attach type or frags flag, so it is one of two causes: (1) " + WrongAttachType +
               " (2) Its BPF_F_XDP_HAS_FRAGS setting differs from the one this CPUMAP was first used with: the first program " +
               "that uses a CPUMAP fixes it for good; load the remote program with the same frags setting as the redirect " +
               "program, or use a new CPUMAP.";
    }
}
