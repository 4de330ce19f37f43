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
        Description = "How each frame's CPU is picked: round-robin (even spread) or flow-hash (one flow stays on one CPU); default round-robin",
        HelpName = "round-robin|flow-hash",
        CustomParser = result =>
        {
            var text = OptionTokens.Text(result);
            try
            {
                return RssModes.Parse(text);
            }
            catch (ArgumentException)
            {
                result.AddError($"--mode {text} is not a redirect mode: use round-robin (even spread) or flow-hash (one flow stays on one CPU).");
                return default;
            }
        },
    };

    /// <summary>--remote: pass, drop, or (when <paramref name="allowObject"/>) FILE.o:PROGRAM.</summary>
    public static Option<string> Remote(bool allowObject, string defaultValue) => new("--remote")
    {
        Description = allowObject
            ? "The program each remote CPU runs: pass (count, then on to the network stack), drop (count, then free), or FILE.o:PROGRAM from your object (SEC(\"xdp/cpumap\"))"
            : "The program each remote CPU runs: pass (count, then on to the network stack) or drop (count, then free)",
        HelpName = allowObject ? "pass|drop|FILE.o:PROGRAM" : "pass|drop",
        DefaultValueFactory = _ => defaultValue,
        Validators =
        {
            result =>
            {
                if (result.Tokens.Count == 0)
                    return;
                var text = result.Tokens[0].Value;
                if (text is SoftwareRssOptions.RemotePass or SoftwareRssOptions.RemoteDrop)
                    return;
                if (!allowObject)
                {
                    result.AddError($"--remote {text} is not a remote program here: use pass or drop (both count what each CPU delivers).");
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
                    result.AddError($"--remote {text} is not pass, drop or FILE.o:PROGRAM (an object's path, a colon and the program's function name).");
                }
            },
        },
    };

    public static Option<XdpMode> XdpModeOption() => new("--xdp-mode")
    {
        Description = "Where the program runs: native (in the driver; veth and most NICs have it) or skb (generic, every device). Default: the kernel's choice",
        HelpName = "skb|native",
        CustomParser = result =>
        {
            var text = OptionTokens.Text(result);
            switch (text)
            {
                case "native": return XdpMode.Native;
                case "skb": return XdpMode.Skb;
                default:
                    result.AddError($"--xdp-mode {text} is not an XDP mode: use native (driver) or skb (generic).");
                    return XdpMode.Auto;
            }
        },
    };
}
