using CpuMap.Managed.Loader;
using BpfAsm;
using CpuMap.Managed.Syscalls;
using CpuMap.Managed.Programs.Bytecode;

namespace CpuMap.Managed.Programs.Redirect;

/// <summary>
/// A redirect of one of xdp-bench's per-frame modes ready to run: l4-proto, l4-filter, l4-sport, l4-dport
/// (<see cref="L4Program"/>), no-touch and touch (<see cref="FirstCpuProgram"/>). Its maps are those of every
/// <see cref="CpuRedirect"/> and the <see cref="RedirectStats"/> counters; the program keeps no state of its
/// own, so <see cref="CpuRedirect.Configure(IReadOnlyList{int}, uint, ProgFd?)"/> is all there is to set.
/// </summary>
public sealed class ModeRedirect : CpuRedirect
{
    private readonly RssMode _mode;

    private ModeRedirect(RssMode mode, RedirectMaps maps, MapFd stats, BpfProgram instructions, ProgFd program)
        : base(maps, stats, instructions, program) => _mode = mode;

    /// <summary>The modes this class loads.</summary>
    public static IReadOnlyList<RssMode> Modes { get; } =
        [RssMode.L4Proto, RssMode.L4Filter, RssMode.L4Sport, RssMode.L4Dport, RssMode.NoTouch, RssMode.Touch];

    /// <inheritdoc />
    public override RssMode? Mode => _mode;

    /// <inheritdoc />
    public override string ToString() => _mode.Name();

    /// <summary>Creates the maps and loads the program of <paramref name="mode"/>. Needs root (or CAP_BPF and CAP_NET_ADMIN).</summary>
    /// <param name="mode">One of <see cref="Modes"/>; round-robin and flow-hash have their own classes
    /// (<see cref="RoundRobinRedirect"/>, <see cref="FlowHashRedirect"/>); <see cref="RssModeRedirects.Load"/> picks the
    /// right one for any mode.</param>
    public static ModeRedirect Load(RssMode mode)
    {
        var (instructions, name) = mode switch
        {
            RssMode.NoTouch or RssMode.Touch => (FirstCpuProgram.Build(touch: mode == RssMode.Touch), FirstCpuProgram.NameOf(mode == RssMode.Touch)),
            RssMode.L4Proto or RssMode.L4Filter or RssMode.L4Sport or RssMode.L4Dport => (L4Program.Build(mode), L4Program.NameOf(mode)),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode,
                $"ModeRedirect loads {string.Join(", ", Modes.Select(m => m.Name()))}; load {mode.Name()} with " +
                $"{(mode == RssMode.FlowHash ? nameof(FlowHashRedirect) : nameof(RoundRobinRedirect))}.Load, or any mode with RssModeRedirects.Load."),
        };
        var maps = RedirectMaps.Create(RoundRobinProgram.CpuMapMap, RoundRobinProgram.CpusAvailableMap, RoundRobinProgram.NrCpusMap);
        try
        {
            var stats = maps.Add(RedirectStats.Create());
            var program = DslProgramLoader.Load(instructions, name, maps.Fds);
            return new ModeRedirect(mode, maps, stats, instructions, program);
        }
        catch
        {
            maps.Dispose();
            throw;
        }
    }
}
