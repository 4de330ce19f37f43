using System.CommandLine;
using CpuMap.Managed.Programs;
using CpuMap.Managed.Syscalls;
using CpuMap.Managed.Programs.Bytecode;
using CpuMap.Managed.Programs.Redirect;
using CpuMap.Managed.Programs.Remote;

namespace CpuMap.Managed.Cli.Commands;

/// <summary>
/// <c>cpumap attach --dev IF [--cpus LIST] [--qsize N] [--mode round-robin|flow-hash|l4-proto|l4-filter|l4-sport|l4-dport|no-touch|touch]
/// [--remote pass|drop|redirect|FILE.o:PROGRAM [--redirect-dev IF] [--egress pass|FILE.o:PROGRAM]] [--program FILE.o:PROGRAM [--cpumap NAME] [--cpus-available NAME]] [--xdp-mode skb|native]
/// [--buckets N] [--rebalance [--rebalance-interval S]] [--pin DIR] [--trace]</c>: loads the redirect
/// (<see cref="SoftwareRss"/>) and attaches it to IF through a BPF link. Without --pin the link lives
/// as long as this process: the command stays in the foreground and Ctrl-C (or SIGTERM) detaches.
/// With --pin the link and maps are pinned under DIR on the BPF filesystem and the command exits,
/// leaving the redirect attached until `cpumap detach --dev IF`.
/// </summary>
internal sealed class AttachCommand : Command
{
    public Option<string> Dev { get; } = RssOptions.Dev(required: true);

    public Option<IReadOnlyList<int>?> Cpus { get; } = RssOptions.Cpus();

    public Option<uint> Qsize { get; } = RssOptions.Qsize();

    public Option<RssMode> Mode { get; } = RssOptions.Mode();

    public Option<string> Remote { get; } = RssOptions.Remote(allowObject: true, ActionText.Pass);

    public Option<string> RedirectDev { get; } = RssOptions.RedirectDev();

    public Option<EgressAction?> Egress { get; } = RssOptions.Egress();

    public Option<Managed.XdpMode> XdpMode { get; } = RssOptions.XdpModeOption();

    /// <summary>--pin DIR: keep the redirect attached after exit.</summary>
    public Option<string?> Pin { get; } = new("--pin")
    {
        Description = $"Pin the XDP link and maps under DIR (on the BPF filesystem, e.g. {SoftwareRssPins.BpfFsRoot}/cpumap/eth0) and exit; " +
                      "the redirect stays until 'cpumap detach'. Without it, the command runs until Ctrl-C",
        HelpName = "DIR",
    };

    /// <summary>--program FILE.o:PROGRAM: the user's own redirect program instead of this project's.</summary>
    public Option<ObjectProgram?> Program { get; } = new("--program")
    {
        Description = "Run your own XDP redirect program (SEC(\"xdp\")) instead of --mode's; its maps are filled by convention: " +
                      "the CPUMAP, cpus_available, cpus_count (map or global) or nr_cpus, and maps at max_entries 0 sized to the possible CPUs",
        HelpName = "FILE.o:PROGRAM",
        CustomParser = result =>
        {
            var text = OptionTokens.Text(result);
            if (ActionText.TryParseObjectProgram(text, out var program, out var reason))
                return program;
            result.AddError($"--program {text}: {reason}");
            return null;
        },
    };

    /// <summary>--cpumap NAME: with --program, the object's CPUMAP where it has several.</summary>
    public Option<string?> CpuMapName { get; } = new("--cpumap")
    {
        Description = "With --program: the CPUMAP to fill, where the object has more than one",
        HelpName = "NAME",
    };

    /// <summary>--cpus-available NAME: with --program, the object's array of CPUs.</summary>
    public Option<string> CpusAvailableName { get; } = new("--cpus-available")
    {
        Description = "With --program: the object's ARRAY of CPUs to send to",
        HelpName = "NAME",
        DefaultValueFactory = _ => ObjectRedirect.CpusAvailableName,
    };

    public Option<int> Buckets { get; } = TableOptions.Buckets();

    public Option<bool> Rebalance { get; } = TableOptions.Rebalance();

    public Option<double> RebalanceInterval { get; } = TableOptions.RebalanceInterval();

    /// <summary>--trace: each kernel request on standard error.</summary>
    public Option<bool> Trace { get; } = TraceOption.Create();

    public AttachCommand() : base("attach", "Attach the CPU redirect (software RSS) to a device; runs until Ctrl-C, or pins and exits with --pin (needs CAP_BPF and CAP_NET_ADMIN; CAP_SYS_ADMIN to mount bpffs for --pin)")
    {
        Options.Add(Dev);
        Options.Add(Cpus);
        Options.Add(Qsize);
        Options.Add(Mode);
        Options.Add(Remote);
        Options.Add(RedirectDev);
        Options.Add(Egress);
        RssOptions.ValidateRedirect(this, Remote, RedirectDev, Egress);
        Options.Add(XdpMode);
        Options.Add(Pin);
        Options.Add(Program);
        Options.Add(CpuMapName);
        Options.Add(CpusAvailableName);
        Options.Add(Buckets);
        Options.Add(Rebalance);
        Options.Add(RebalanceInterval);
        Options.Add(Trace);
        SetAction(parse => RssConsole.Run(parse, "attach", cancel => Run(parse, cancel)));
    }

    private int Run(ParseResult parse, CancellationToken cancel)
    {
        var device = parse.GetValue(Dev)!;
        var pin = parse.GetValue(Pin);
        var output = parse.InvocationConfiguration.Output;
        using var trace = TraceOption.Start(parse, Trace);
        KernelFeatures.XdpLinks.Require("cpumap attach, which holds the program on the device with a link,");
        // Before anything is loaded: a missing device is the most common mistake.
        if (!Syscalls.Netlink.NetDevice.TryIndexOf(device, out _))
            throw new ArgumentException($"No network device is named '{device}' in this network namespace: check the name with 'ip link'.");
        var program = parse.GetValue(Program);
        if (pin is not null && program is not null)
            throw new ArgumentException($"--pin keeps only this project's redirect programs, whose counters `cpumap stats` reads; {program} has none of them. " +
                "Run without --pin: the link holds your program on the device while this command runs.");
        TableOptions.Check(parse, Mode, Buckets, Rebalance);
        var rebalance = parse.GetValue(Rebalance);
        if (rebalance && pin is not null)
            throw new ArgumentException("--rebalance runs its agent in this process, and --pin exits: drop --pin and keep the command running, " +
                "or run a BucketRebalancer from your own code beside the pinned redirect.");
        if (pin is not null && BpfFs.EnsureFor(pin) is { } mounted)
            output.WriteLine($"mounted a BPF filesystem at {mounted} (none was mounted there) for the pins");
        using var rss = SoftwareRss.Load(new SoftwareRssOptions
        {
            Mode = parse.GetValue(Mode),
            Cpus = parse.GetValue(Cpus),
            Qsize = parse.GetValue(Qsize),
            Remote = ActionText.ToRemoteAction(parse.GetValue(Remote)!, () => new(parse.GetValue(RedirectDev)!, parse.GetValue(Egress))),
            Program = program,
            CpuMapName = parse.GetValue(CpuMapName),
            CpusAvailableName = parse.GetValue(CpusAvailableName)!,
            Buckets = parse.GetValue(Buckets),
        });
        var attachment = rss.Attach(device, parse.GetValue(XdpMode));
        output.WriteLine($"attached {rss.Redirect} (program id {attachment.ProgId}) to {device}: {attachment}");
        output.WriteLine($"  CPUs {CpuList.Parse(string.Join(',', rss.Redirect.Cpus))}, qsize {rss.Options.Qsize}, remote program '{rss.Options.Remote}' (id {rss.RemoteProgram.Id})");
        if (rss.DeviceRedirect is { } sendOut)
            output.WriteLine($"  the remote CPUs send frames out of {sendOut.Device} (ifindex {sendOut.Ifindex}) through DEVMAP {RemoteRedirectProgram.TxPortMap} (id {sendOut.TxPort.Id})" +
                             (sendOut.EgressProgram is { } egress ? $", egress program '{((RemoteAction.Redirect)rss.Options.Remote).Egress}' (id {egress.Id})" : ", no egress program"));
        if (pin is not null)
        {
            var pins = rss.Pin(pin);
            output.WriteLine($"pinned under {pins.Directory}: it stays attached after exit. Watch it with 'cpumap stats --dev {device}'; remove it with 'cpumap detach --dev {device}'.");
            return 0;
        }
        output.WriteLine(program is null
            ? $"running: the XDP link lives as long as this process. Watch it with 'cpumap stats --dev {device}' from another shell; press Ctrl-C to detach."
            : $"running: the XDP link lives as long as this process. Watch what the kernel enqueues to each CPU with 'cpumap stats --dev {device}'; press Ctrl-C to detach.");
        output.Flush();
        if (rebalance)
            AttachRebalance.Run(rss, TimeSpan.FromSeconds(parse.GetValue(RebalanceInterval)), output, cancel);
        else
            cancel.WaitHandle.WaitOne();
        output.WriteLine($"detached from {device}");
        return 0;
    }
}
