using System.CommandLine;
using System.Globalization;
using CpuMap.Managed.Programs;
using CpuMap.Managed.Syscalls;
using Spectre.Console;
using CpuMap.Managed.Programs.Redirect;
using CpuMap.Managed.Programs.Traffic;

namespace CpuMap.Managed.Cli.Commands;

/// <summary>
/// <c>cpumap demo [--mode round-robin|flow-hash|l4-proto|l4-filter|l4-sport|l4-dport|no-touch|touch] [--cpus LIST] [--qsize N] [--frames N] [--remote pass|drop|redirect]
/// [--flows N] [--skew uniform|zipf:S] [--buckets N] [--rebalance [--rounds N]] [--json]</c>:
/// software RSS end to end without a NIC (<see cref="SoftwareRssDemo"/> does the work): a private
/// network namespace with a veth pair, the redirect attached to it, live frames sent through it, and a
/// per-CPU table of frames sent, redirected and delivered, with the drops and the rate. Everything it
/// makes is removed on exit, Ctrl-C included. Exit code 0, or 1 with the reason on standard error.
/// </summary>
internal sealed class DemoCommand : Command
{
    public Option<RssMode> Mode { get; } = RssOptions.Mode();

    public Option<IReadOnlyList<int>?> Cpus { get; } = RssOptions.Cpus();

    public Option<uint> Qsize { get; } = RssOptions.Qsize();

    public Option<string> Remote { get; } = RssOptions.Remote(allowObject: false, ActionText.Drop);

    /// <summary>--frames N: how many frames to send.</summary>
    public Option<ulong> Frames { get; } = new("--frames")
    {
        Description = "Frames to send",
        HelpName = "N",
        DefaultValueFactory = _ => new DemoOptions().Frames,
        CustomParser = result =>
        {
            var text = OptionTokens.Text(result);
            if (!ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value is 0 or > 10_000_000_000)
                result.AddError($"--frames {text} is not a frame count: send 1 to 10000000000 frames, e.g. --frames 1000000.");
            return value;
        },
    };

    public Option<int> Flows { get; } = DemoTrafficOptions.Flows();

    public Option<FlowSkew> Skew { get; } = DemoTrafficOptions.Skew();

    public Option<int> Buckets { get; } = TableOptions.Buckets();

    public Option<bool> Rebalance { get; } = TableOptions.Rebalance();

    public Option<int> Rounds { get; } = DemoTrafficOptions.Rounds();

    public Option<bool> Json { get; } = new("--json") { Description = "Print the result as JSON (no progress, no table)" };

    /// <summary>--trace: each kernel request on standard error.</summary>
    public Option<bool> Trace { get; } = TraceOption.Create();

    public DemoCommand() : base("demo", "Software RSS without a NIC: a private namespace and veth, the redirect attached, live frames sent, a per-CPU table and the kernel's xdp tracepoint statistics of the run (needs CAP_SYS_ADMIN and CAP_NET_ADMIN)")
    {
        Options.Add(Mode);
        Options.Add(Cpus);
        Options.Add(Qsize);
        Options.Add(Frames);
        Options.Add(Remote);
        Options.Add(Flows);
        Options.Add(Skew);
        Options.Add(Buckets);
        Options.Add(Rebalance);
        Options.Add(Rounds);
        Options.Add(Json);
        Options.Add(Trace);
        SetAction(parse => RssConsole.Run(parse, "demo", cancel => Run(parse, cancel)));
    }

    private int Run(ParseResult parse, CancellationToken cancel)
    {
        using var trace = TraceOption.Start(parse, Trace);
        // Before the header: a kernel that cannot run the demo gets nothing but the reason.
        KernelFeatures.LiveFrames.Require("The demo's traffic source");
        TableOptions.Check(parse, Mode, Buckets, Rebalance);
        var rebalance = parse.GetValue(Rebalance);
        var options = new DemoOptions
        {
            Rss = new SoftwareRssOptions
            {
                Mode = parse.GetValue(Mode),
                Cpus = parse.GetValue(Cpus),
                Qsize = parse.GetValue(Qsize),
                Remote = ActionText.ToRemoteAction(parse.GetValue(Remote)!, () => DemoOptions.RedirectOut),
                Buckets = parse.GetValue(Buckets),
            },
            Frames = parse.GetValue(Frames),
            Flows = parse.GetValue(Flows),
            Skew = parse.GetValue(Skew)!,
            Rebalance = rebalance,
            Rounds = rebalance ? parse.GetValue(Rounds) : 1,
        };
        if (parse.GetValue(Json))
        {
            DemoJson.Write(parse.InvocationConfiguration.Output, SoftwareRssDemo.Run(options, null, cancel));
            return 0;
        }
        var output = parse.InvocationConfiguration.Output;
        var cpus = options.Rss.Cpus is { } list ? CpuList.Parse(string.Join(',', list)).ToString() : CpuList.Possible.ToString();
        output.WriteLine($"cpumap demo: {options.Rss.Mode.Name()} over CPUs {cpus}, qsize {options.Rss.Qsize}, remote program '{options.Rss.Remote}', " +
                         $"{options.Frames} frames in {options.Flows} UDP flows ({options.Skew})" +
                         (options.Rss.Mode == RssMode.FlowHash ? $", {options.Rss.Buckets} buckets" : "") +
                         (rebalance ? $", {options.Rounds} rounds rebalanced between them" : ""));
        output.WriteLine($"  a private network namespace with veth pair {SoftwareRssDemo.DeviceName}/{SoftwareRssDemo.PeerName}, XDP native, live frames (BPF_PROG_TEST_RUN); Ctrl-C stops");
        var result = ObjectConsole.IsTerminal(parse) ? WithProgressBar(options, cancel) : WithProgressLines(options, output, cancel);
        WriteResult(parse, result);
        return 0;
    }

    private static DemoResult WithProgressBar(DemoOptions options, CancellationToken cancel)
    {
        DemoResult? result = null;
        AnsiConsole.Progress().AutoClear(true).Start(context =>
        {
            var task = context.AddTask("sending frames", maxValue: options.Frames);
            result = SoftwareRssDemo.Run(options, new Progress(p => task.Value = p.Sent), cancel);
        });
        return result!;
    }

    private static DemoResult WithProgressLines(DemoOptions options, TextWriter output, CancellationToken cancel)
    {
        // A line per quarter: a log gets the milestones, not thousands of updates.
        var next = 1;
        return SoftwareRssDemo.Run(options, new Progress(p =>
        {
            if (p.Sent * 4 < p.Total * (ulong)next)
                return;
            output.WriteLine($"  sent {p.Sent} of {p.Total} frames");
            next = (int)(p.Sent * 4 / p.Total) + 1;
        }), cancel);
    }

    private static void WriteResult(ParseResult parse, DemoResult result)
    {
        var console = ObjectConsole.For(parse);
        var table = ObjectConsole.Table($"{result.Mode.Name()}: per CPU", "CPU", "sent (rx here)", "redirected", "errors", "delivered", "sent to", "share");
        var load = result.Cpus.Aggregate(0ul, (s, c) => s + result.LoadOf(c));
        foreach (var row in result.Rows)
        {
            // The share of the frames sent to each CPU: what the hash and the table decided, whatever a slow CPU dropped.
            var share = load == 0 ? 0 : 100.0 * result.LoadOf(row.Cpu) / load;
            table.AddTextRow(row.Cpu.ToString(), row.Received.ToString(), row.Redirected.ToString(), row.Errors.ToString(), row.Delivered.ToString(),
                result.LoadOf(row.Cpu).ToString(), result.Cpus.Contains(row.Cpu) ? $"{share:F1} %" : "(not a target)");
        }
        table.AddTextRow("total", result.Sent.ToString(), result.Rows.Aggregate(0ul, (s, r) => s + r.Redirected).ToString(),
            result.RedirectErrors.ToString(), result.Delivered.ToString(), load.ToString(), "100 %");
        console.Write(table);
        if (result.Extended is { } extended)
            foreach (var more in ExtendedStatsTables.For("the run", extended))
                console.Write(more);
        var output = parse.InvocationConfiguration.Output;
        if (result.Extended is { } run)
            output.WriteLine($"enqueued {run.Counts.EnqueueTotal.Enqueued} = taken off the queues by the remote CPUs' kernel threads {run.Counts.KthreadTotal.Processed} " +
                             $"(of which they dropped {run.Counts.KthreadTotal.Drops}); dropped at full queues {run.Counts.EnqueueTotal.Drops}");
        output.WriteLine($"sent {result.Sent} = delivered {result.Delivered} + dropped {result.Dropped} " +
                         $"(redirect errors {result.RedirectErrors}, {(result.Filtered == 0 ? "" : $"dropped by {result.Mode.Name()} {result.Filtered}, ")}full queues {result.QueueDrops}" +
                         (result.KernelQueueDrops is { } kernel ? $"; the kernel's xdp_cpumap_enqueue counted {kernel})" : ")"));
        if (result.ArrivedAtPeer is { } arrived)
            output.WriteLine($"redirected out of {SoftwareRssDemo.RedirectDeviceName}: {arrived} of the {result.Delivered} frames the remote CPUs sent on " +
                             $"arrived at its peer {SoftwareRssDemo.RedirectPeerName}");
        output.WriteLine($"{result.SentMpps:F2} Mpps through the redirect, {result.DeliveredMpps:F2} Mpps delivered, in {result.Elapsed.TotalSeconds:F2} s" +
                         (result.Cancelled ? " (stopped early)" : ""));
        foreach (var round in result.Rounds.Where(_ => result.Rounds.Count > 1))
        {
            output.WriteLine($"round {round.Round}: sent to {string.Join(", ", result.Cpus.Select((c, i) => $"CPU {c} {round.Load[i]}"))}, imbalance {round.Imbalance:F2}");
            foreach (var move in round.Moves)
                output.WriteLine($"  rebalance: moved {move}");
        }
        output.WriteLine(result.Rounds.Count > 1
            ? $"imbalance {result.ImbalanceBefore:F2} before rebalancing (round 1), {result.ImbalanceAfter:F2} after (round {result.Rounds.Count}); busiest CPU's share ÷ 1/{result.Cpus.Count}, 1.00 is even"
            : $"imbalance {result.Imbalance:F2} (busiest CPU's share of the frames sent ÷ 1/{result.Cpus.Count}; 1.00 is even)");
        output.WriteLine($"removed: the redirect and remote programs, their maps, the veth pair{(result.ArrivedAtPeer is null ? "" : "s")} and the namespace");
    }

    /// <summary>Reports on the sending thread itself: <see cref="Progress{T}"/> would post to the thread pool and lag.</summary>
    private sealed class Progress(Action<DemoProgress> report) : IProgress<DemoProgress>
    {
        public void Report(DemoProgress value) => report(value);
    }
}
