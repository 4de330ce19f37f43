namespace CpuMap.Managed.Cli.Commands;

/// <summary>How <c>cpumap stats</c> writes each interval.</summary>
internal enum StatsFormat
{
    /// <summary>Tables for people (live on a terminal).</summary>
    Table,

    /// <summary>One JSON object per interval, one line each, for scripts.</summary>
    Json,

    /// <summary>The Prometheus text exposition format, for node_exporter's textfile collector.</summary>
    Prometheus,
}
