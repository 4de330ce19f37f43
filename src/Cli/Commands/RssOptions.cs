using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using CpuMap.Managed.Programs;
using CpuMap.Managed.Syscalls;
using CpuMap.Managed.Syscalls.Maps;
using CpuMap.Managed.Syscalls.Netlink;
using CpuMap.Managed.Syscalls.Xdp;
using CpuMap.Managed.Programs.Redirect;
using CpuMap.Managed.Programs.Remote;

namespace CpuMap.Managed.Cli.Commands;

/// <summary>
/// The options the software-RSS commands share (--dev, --cpus, --qsize, --mode, --remote, --xdp-mode),
/// each parsed and checked at parse time, so a bad value is refused, naming the option, before the
/// kernel is touched.
/// </summary>
internal static class RssOptions
{
    public static Option<string> Dev(bool required) => Device("--dev", "The network device (interface name), e.g. eth0", required);

    /// <summary>A device name, refused at parse time by the library's rule (<see cref="NetDevice.IsValidName"/>).</summary>
    private static Option<string> Device(string flag, string description, bool required) => new(flag)
    {
        Description = description,
        HelpName = "IF",
        Required = required,
        Validators =
        {
            result =>
            {
                if (result.Tokens.Count == 1 && !NetDevice.IsValidName(result.Tokens[0].Value, out var reason))
                    result.AddError($"{flag} '{result.Tokens[0].Value}': {reason}");
            },
        },
    };

    /// <summary>--cpus LIST; null (the default, or "all") means every possible CPU.</summary>
    public static Option<IReadOnlyList<int>?> Cpus() => new("--cpus")
    {
        Description = $"The CPUs to redirect to, as a cpulist like 0-3,5 (default: all possible CPUs, {CpuList.Possible})",
        HelpName = "LIST",
        CustomParser = result =>
        {
            var text = OptionTokens.Text(result);
            if (text.Trim() == "all")
                return null;
            CpuList cpus;
            try
            {
                cpus = CpuList.Parse(text, "--cpus");
            }
            catch (FormatException e)
            {
                result.AddError(e.Message);
                return null;
            }
            if (!CpuList.IsValidSelection(cpus, out var reason))
                result.AddError($"--cpus {text}: {reason}");
            return cpus;
        },
    };

    public static Option<uint> Qsize() => new("--qsize")
    {
        Description = $"Frames each remote CPU's queue holds, 1..{BpfCpuMap.MaxQsize}",
        HelpName = "N",
        DefaultValueFactory = _ => CpuRedirect.DefaultQsize,
        CustomParser = result =>
        {
            var text = OptionTokens.Text(result);
            if (!uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
                result.AddError($"--qsize {text} is not a queue size: give a number of frames from 1 to {BpfCpuMap.MaxQsize}, e.g. --qsize 2048.");
            else if (!BpfCpuMap.IsValidQsize(value, out var reason))
                result.AddError($"--qsize {text}: {reason}");
            return value;
        },
    };

    public static Option<RssMode> Mode() => new("--mode")
    {
        Description = "How each frame's CPU is picked: round-robin (even spread), flow-hash (one flow stays on one CPU), " +
                      "l4-proto (TCP, UDP, ICMP each to its CPU), l4-filter (l4-proto, dropping UDP to port 9), " +
                      "l4-sport / l4-dport (the port modulo the CPU count), no-touch / touch (all to the first CPU, without / after reading it); " +
                      "default round-robin",
        HelpName = RssModes.AllNames,
        CustomParser = result =>
        {
            var text = OptionTokens.Text(result);
            try
            {
                return RssModes.Parse(text);
            }
            catch (ArgumentException)
            {
                result.AddError($"--mode {text} is not a redirect mode: use {RssModes.AllNames.Replace("|", ", ")} " +
                                "(round-robin spreads evenly, flow-hash keeps a flow on one CPU).");
                return default;
            }
        },
    };

    /// <summary>--remote: pass, drop, redirect or (when <paramref name="allowObject"/>) FILE.o:PROGRAM; <see cref="ActionText.ToRemoteAction"/> makes it the library's type.</summary>
    public static Option<string> Remote(bool allowObject, string defaultValue) => new("--remote")
    {
        Description = allowObject
            ? "The program each remote CPU runs: pass (count, then on to the network stack), drop (count, then free), redirect (count, then out of " +
              "--redirect-dev through a DEVMAP), or FILE.o:PROGRAM from your object (SEC(\"xdp/cpumap\"))"
            : "The program each remote CPU runs: pass (count, then on to the network stack), drop (count, then free) or redirect (count, " +
              "then out of a second veth pair the demo makes, counted where the frames arrive at its peer)",
        HelpName = allowObject ? "pass|drop|redirect|FILE.o:PROGRAM" : "pass|drop|redirect",
        DefaultValueFactory = _ => defaultValue,
        Validators =
        {
            result =>
            {
                if (result.Tokens.Count == 0)
                    return;
                var text = result.Tokens[0].Value;
                if (text is ActionText.Pass or ActionText.Drop or ActionText.Redirect)
                    return;
                if (!allowObject)
                    result.AddError($"--remote {text} is not a remote program here: use pass, drop or redirect (each counts what each CPU delivers).");
                else if (!text.Contains(':'))
                    result.AddError($"--remote {text} is not pass, drop, redirect or FILE.o:PROGRAM (an object's path, a colon and the program's function name).");
                else if (!ActionText.TryParseObjectProgram(text, out _, out var reason))
                    result.AddError($"--remote {text}: {reason}");
            },
        },
    };

    /// <summary>--redirect-dev IF: with --remote redirect, the device frames leave by.</summary>
    public static Option<string> RedirectDev() => Device("--redirect-dev",
        "With --remote redirect: the device the remote CPUs send frames out of (through a DEVMAP); it must be up and take XDP frames", required: false);

    /// <summary>--egress pass|FILE.o:PROGRAM: with --remote redirect, the DEVMAP entry's egress program.</summary>
    public static Option<EgressAction?> Egress() => new("--egress")
    {
        Description = "With --remote redirect: a program run on each frame as it leaves --redirect-dev: pass (count, then send) or FILE.o:PROGRAM " +
                      "from your object (SEC(\"xdp/devmap\")); default none",
        HelpName = "pass|FILE.o:PROGRAM",
        CustomParser = result =>
        {
            var text = OptionTokens.Text(result);
            if (text == ActionText.Pass)
                return EgressAction.Pass;
            if (!text.Contains(':'))
                result.AddError($"--egress {text} is neither pass (count, then send) nor FILE.o:PROGRAM (an object's path, a colon and the name of a " +
                                "program in SEC(\"xdp/devmap\")).");
            else if (ActionText.TryParseObjectProgram(text, out var program, out var reason))
                return new EgressAction.UserProgram(program);
            else
                result.AddError($"--egress {text}: {reason}");
            return null;
        },
    };

    /// <summary>
    /// Refuses, at parse time and naming the options, a --remote redirect without --redirect-dev, and --redirect-dev or
    /// --egress without --remote redirect: combinations <see cref="RemoteAction"/> cannot express.
    /// </summary>
    public static void ValidateRedirect(Command command, Option<string> remote, Option<string> redirectDev, Option<EgressAction?> egress) =>
        command.Validators.Add(result =>
        {
            // No token: the option's default, which a command result does not fill in (attach's is pass).
            var action = result.GetResult(remote)?.GetValueOrDefault<string>() ?? ActionText.Pass;
            var isRedirect = action == ActionText.Redirect;
            if (isRedirect && result.GetResult(redirectDev) is null)
                result.AddError("--remote redirect sends frames out of another device: name it with --redirect-dev IF.");
            if (!isRedirect && result.GetResult(redirectDev) is not null)
                result.AddError($"--redirect-dev is only for --remote redirect (the remote action is {action}): add --remote redirect, or leave --redirect-dev out.");
            if (!isRedirect && result.GetResult(egress) is not null)
                result.AddError($"--egress is only for --remote redirect (the remote action is {action}): add --remote redirect --redirect-dev IF, or leave --egress out.");
        });

    public static Option<XdpMode> XdpModeOption() => new("--xdp-mode")
    {
        Description = "Where the program runs: native (in the driver; veth and most NICs have it) or skb (generic, every device). Default: the kernel's choice",
        HelpName = "skb|native",
        CustomParser = result =>
        {
            var text = OptionTokens.Text(result);
            if (KernelNames.TryParse<XdpMode>(text, "", out var mode) && mode is XdpMode.Native or XdpMode.Skb)
                return mode;
            result.AddError($"--xdp-mode {text} is not an XDP mode: use native (driver) or skb (generic).");
            return XdpMode.Auto;
        },
    };
}
