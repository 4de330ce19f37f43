namespace CpuMap.Managed.Programs;

/// <summary>How a software-RSS redirect picks the CPU of each frame.</summary>
public enum RssMode
{
    /// <summary>The next configured CPU for every frame (<see cref="RoundRobinRedirect"/>): even spread, no flow order.</summary>
    RoundRobin,

    /// <summary>A hash of the addresses and ports (<see cref="FlowHashRedirect"/>): one flow stays on one CPU, in order.</summary>
    FlowHash,
}

/// <summary>The names the <c>cpumap</c> tool and tables use for <see cref="RssMode"/>.</summary>
public static class RssModes
{
    /// <summary>"round-robin" or "flow-hash".</summary>
    public static string Name(this RssMode mode) => mode switch
    {
        RssMode.RoundRobin => "round-robin",
        RssMode.FlowHash => "flow-hash",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Use RssMode.RoundRobin or RssMode.FlowHash."),
    };

    /// <summary>Parses "round-robin" or "flow-hash".</summary>
    public static RssMode Parse(string name) => name switch
    {
        "round-robin" => RssMode.RoundRobin,
        "flow-hash" => RssMode.FlowHash,
        _ => throw new ArgumentException($"'{name}' is not a redirect mode: use round-robin (even spread) or flow-hash (one flow, one CPU).", nameof(name)),
    };
}
