namespace CpuMap.Managed.Programs.Redirect;

/// <summary>Loads the redirect of any <see cref="RssMode"/>, with its counters (what the cpumap tool's attach does).</summary>
public static class RssModeRedirects
{
    /// <summary>
    /// Creates the maps and loads the program of <paramref name="mode"/>: a <see cref="RoundRobinRedirect"/> (with counters),
    /// a <see cref="FlowHashRedirect"/> with an indirection table of <paramref name="buckets"/> buckets, or a
    /// <see cref="ModeRedirect"/>. Configure it before it redirects anything.
    /// </summary>
    public static CpuRedirect Load(RssMode mode, int buckets = RssIndirectionTable.DefaultBuckets) => mode switch
    {
        RssMode.RoundRobin => RoundRobinRedirect.Load(countStats: true),
        RssMode.FlowHash => FlowHashRedirect.Load(buckets: buckets),
        _ => ModeRedirect.Load(mode),
    };
}
