using CpuMap.Managed.Programs.Bytecode;
namespace CpuMap.Managed.Programs.Redirect;

/// <summary>How a software-RSS redirect picks the CPU of each frame (the modes of xdp-bench redirect-cpu, and flow-hash).</summary>
public enum RssMode
{
    /// <summary>The next configured CPU for every frame (<see cref="RoundRobinRedirect"/>): even spread, no flow order.</summary>
    RoundRobin,

    /// <summary>A hash of the addresses and ports (<see cref="FlowHashRedirect"/>): one flow stays on one CPU, in order.</summary>
    FlowHash,

    /// <summary>By L4 protocol (<see cref="L4Program"/>): TCP and everything else to the first CPU, UDP to the second, ICMP to the third (positions modulo the CPU count).</summary>
    L4Proto,

    /// <summary>As <see cref="L4Proto"/>, but UDP to destination port 9 (discard, a traffic generator's port) is dropped: a DDoS filter.</summary>
    L4Filter,

    /// <summary>The TCP or UDP source port modulo the number of CPUs picks the CPU (<see cref="L4Program"/>).</summary>
    L4Sport,

    /// <summary>The TCP or UDP destination port modulo the number of CPUs picks the CPU (<see cref="L4Program"/>).</summary>
    L4Dport,

    /// <summary>Every frame to the first CPU, without reading the frame (<see cref="FirstCpuProgram"/>): the redirect's bare cost.</summary>
    NoTouch,

    /// <summary>Every frame to the first CPU after reading its EtherType (<see cref="FirstCpuProgram"/>); 802.3 length frames are dropped.</summary>
    Touch,
}

/// <summary>The names the <c>cpumap</c> tool and tables use for <see cref="RssMode"/>.</summary>
public static class RssModes
{
    private static readonly (RssMode Mode, string Name)[] Names =
    [
        (RssMode.RoundRobin, "round-robin"), (RssMode.FlowHash, "flow-hash"), (RssMode.L4Proto, "l4-proto"), (RssMode.L4Filter, "l4-filter"),
        (RssMode.L4Sport, "l4-sport"), (RssMode.L4Dport, "l4-dport"), (RssMode.NoTouch, "no-touch"), (RssMode.Touch, "touch"),
    ];

    /// <summary>Every mode's name, separated by '|', as help texts list them.</summary>
    public static string AllNames { get; } = string.Join('|', Names.Select(n => n.Name));

    /// <summary>"round-robin", "flow-hash", "l4-proto", "l4-filter", "l4-sport", "l4-dport", "no-touch" or "touch".</summary>
    public static string Name(this RssMode mode)
    {
        foreach (var (each, name) in Names)
            if (each == mode)
                return name;
        throw new ArgumentOutOfRangeException(nameof(mode), mode, $"Not a redirect mode: use one of RssMode's named values ({AllNames}).");
    }

    /// <summary>Parses a mode's name (see <see cref="Name"/>).</summary>
    public static RssMode Parse(string name)
    {
        foreach (var (mode, each) in Names)
            if (each == name)
                return mode;
        throw new ArgumentException(
            $"'{name}' is not a redirect mode: use round-robin (even spread), flow-hash (one flow, one CPU), l4-proto (TCP, UDP, ICMP each to a CPU), " +
            "l4-filter (l4-proto, dropping UDP to port 9), l4-sport or l4-dport (the port modulo the CPU count), no-touch or touch (all to the first CPU).",
            nameof(name));
    }
}
