using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using CpuMap.Managed.Programs;
using CpuMap.Managed.Syscalls;
using CpuMap.Managed.Syscalls.Maps;
using CpuMap.Managed.Syscalls.Xdp;

namespace CpuMap.Managed.Cli.Commands;

/// <summary>
/// The options the software-RSS commands share (--dev, --cpus, --qsize, --mode, --remote, --xdp-mode),
/// each parsed and checked at parse time, so a bad value is refused, naming the option, before the
/// kernel is touched.
/// </summary>
internal static class RssOptions
{
    public static Option<string> Dev(bool required) => new("--dev")
    {
        Description = "The network device (interface name), e.g. eth0",
        HelpName = "IF",
        Required = required,
        Validators =
        {
            result =>
            {
                if (result.Tokens.Count == 0)
                    return;
                var name = result.Tokens[0].Value;
                if (name.Length is 0 or > 15 || name.Contains('/') || name.Any(char.IsWhiteSpace))
                    result.AddError($"--dev '{name}' is not an interface name: Linux names are 1 to 15 characters, without '/' or spaces (see 'ip link').");
            },
        },
    };

    /// <summary>--cpus LIST; null (the default) means every possible CPU.</summary>
    public static Option<IReadOnlyList<int>?> Cpus() => new("--cpus")
    {
        Description = $"The CPUs to redirect to, as a cpulist like 0-3,5 (default: all possible CPUs, {CpuList.Possible})",
        HelpName = "LIST",
        CustomParser = result =>
        {
            var text = OptionTokens.Text(result);
            try
            {
                var cpus = SoftwareRssOptions.ParseCpus(text);
                foreach (var cpu in cpus ?? [])
                    if (!CpuList.Possible.Contains(cpu))
                    {
                        result.AddError($"--cpus {text} names CPU {cpu}, which is not a possible CPU of this machine (possible: {CpuList.Possible}, " +
                                        $"from {CpuList.PossiblePath}): a CPUMAP entry can only run on a possible CPU. Remove it from the list.");
                        return null;
                    }
                return cpus;
            }
            catch (ArgumentException e)
            {
                result.AddError($"--cpus {text}: {ObjectConsole.Sentence(e)}");
                return null;
            }
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
            if (!uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value is 0 or > BpfCpuMap.MaxQsize)
                result.AddError($"--qsize {text} is not a queue size: a CPUMAP queue holds 1 to {BpfCpuMap.MaxQsize} frames " +
                                "(0 would delete the entry, more gives EOVERFLOW). Pass e.g. --qsize 2048.");
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

    /// <summary>--remote: pass, drop, or (when <paramref name="allowObject"/>) FILE.o:PROGRAM.</summary>
    public static Option<string> Remote(bool allowObject, string defaultValue) => new("--remote")
    {
        Description = allowObject
            ? "The program each remote CPU runs: pass (count, then on to the network stack), drop (count, then free), redirect (count, then out of " +
              "--redirect-dev through a DEVMAP), or FILE.o:PROGRAM from your object (SEC(\"xdp/cpumap\"))"
            : "The program each remote CPU runs: pass (count, then on to the network stack), drop (count, then free) or redirect (count, " +
              "then out of a second veth pair the demo makes, counted where the frames arrive at its peer)",
        HelpName = allowObject ? "pass|drop|redirect|FILE.o:PROGRAM" : "pass|drop",
        DefaultValueFactory = _ => defaultValue,
        Validators =
        {
            result =>
            {
                if (result.Tokens.Count == 0)
                    return;
                var text = result.Tokens[0].Value;
                if (text is SoftwareRssOptions.RemotePass or SoftwareRssOptions.RemoteDrop or SoftwareRssOptions.RemoteRedirect)
                    return;
                if (!allowObject)
                {
                    result.AddError($"--remote {text} is not a remote program here: use pass, drop or redirect (each counts what each CPU delivers).");
                    return;
                }
                try
                {
                    var (path, _) = RemoteObjectProgram.Parse(text);
                    if (!File.Exists(path))
                        result.AddError($"--remote {text}: the object file '{path}' does not exist; give the path of a clang-compiled BPF object.");
                }
                catch (ArgumentException)
                {
                    result.AddError($"--remote {text} is not pass, drop, redirect or FILE.o:PROGRAM (an object's path, a colon and the program's function name).");
                }
            },
        },
    };

    /// <summary>--redirect-dev IF: with --remote redirect, the device frames leave by.</summary>
    public static Option<string?> RedirectDev()
    {
        var option = new Option<string?>("--redirect-dev")
        {
            Description = "With --remote redirect: the device the remote CPUs send frames out of (through a DEVMAP); it must be up and take XDP frames",
            HelpName = "IF",
        };
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count == 0)
                return;
            var name = result.Tokens[0].Value;
            if (name.Length is 0 or > 15 || name.Contains('/') || name.Any(char.IsWhiteSpace))
                result.AddError($"--redirect-dev '{name}' is not an interface name: Linux names are 1 to 15 characters, without '/' or spaces (see 'ip link').");
        });
        return option;
    }

    /// <summary>--egress pass|FILE.o:PROGRAM: with --remote redirect, the DEVMAP entry's egress program.</summary>
    public static Option<string?> Egress() => new("--egress")
    {
        Description = "With --remote redirect: a program run on each frame as it leaves --redirect-dev: pass (count, then send) or FILE.o:PROGRAM " +
                      "from your object (SEC(\"xdp/devmap\")); default none",
        HelpName = "pass|FILE.o:PROGRAM",
        Validators =
        {
            result =>
            {
                if (result.Tokens.Count == 0)
                    return;
                try
                {
                    RemoteDeviceRedirect.CheckEgress(result.Tokens[0].Value);
                }
                catch (ArgumentException e)
                {
                    result.AddError($"--egress {result.Tokens[0].Value}: {ObjectConsole.Sentence(e)}");
                }
            },
        },
    };

    /// <summary>
    /// Refuses, at parse time and naming the options, a --remote redirect without --redirect-dev, and --redirect-dev or
    /// --egress without --remote redirect (<see cref="SoftwareRssOptions.Validate"/> checks the same for library users).
    /// </summary>
    public static void ValidateRedirect(Command command, Option<string> remote, Option<string?> redirectDev, Option<string?> egress) =>
        command.Validators.Add(result =>
        {
            // No token: the option's default, which a command result does not fill in (attach's is pass).
            var action = result.GetResult(remote)?.GetValueOrDefault<string>() ?? SoftwareRssOptions.RemotePass;
            var isRedirect = action == SoftwareRssOptions.RemoteRedirect;
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
