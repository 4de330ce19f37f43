using System.CommandLine;
using System.Globalization;
using CpuMap.Managed.Programs;
using CpuMap.Managed.Programs.Redirect;
using CpuMap.Managed.Programs.Traffic;

namespace CpuMap.Managed.Cli.Commands;

/// <summary>
/// <c>cpumap rss show --dev IF [--json]</c> and <c>cpumap rss set --dev IF (--bucket B --cpu C | --weights CPU[:W],...)</c>:
/// the flow-hash redirect's indirection table on IF, shown and set as <c>ethtool -x</c> and <c>-X</c> do a NIC's. The
/// table is found from the device's XDP program (<see cref="AttachedRedirect"/>), pinned or held by a running attach.
/// </summary>
internal sealed class RssCommand : Command
{
    public RssCommand() : base("rss", "The flow-hash indirection table on a device (buckets -> CPUs), like ethtool -x / -X")
    {
        Subcommands.Add(new ShowCommand());
        Subcommands.Add(new SetCommand());
    }

    /// <summary>The table of <paramref name="attached"/>, or an error saying what is on the device instead and how to get a table.</summary>
    private static RssIndirectionTable TableOf(AttachedRedirect attached)
    {
        var device = attached.Device.Name;
        return attached.IndirectionTable ?? throw new BpfOperationException("read indirection table",
            (attached.ProgName is null ? $"{device} has no XDP program" : $"{device} has XDP program '{attached.ProgName}' (id {attached.Device.Xdp.ProgId}), which has no indirection table") +
            $": attach the flow-hash redirect with 'cpumap attach --dev {device} --mode flow-hash'.");
    }

    private sealed class ShowCommand : Command
    {
        private readonly Option<string> _dev = RssOptions.Dev(required: true);
        private readonly Option<bool> _json = new("--json") { Description = "Print JSON instead of tables" };

        public ShowCommand() : base("show", "Each bucket's CPU and frames counted, and each CPU's buckets and share (like ethtool -x)")
        {
            Options.Add(_dev);
            Options.Add(_json);
            SetAction(parse => RssConsole.Run(parse, "rss show", _ => Run(parse)));
        }

        private int Run(ParseResult parse)
        {
            using var attached = AttachedRedirect.Open(parse.GetValue(_dev)!);
            var table = TableOf(attached);
            var buckets = table.Read();
            var cpus = table.ConfiguredCpus;
            var total = buckets.Aggregate(0ul, (s, b) => s + b.Packets);
            var perCpu = cpus.Select(c => (Cpu: c, Buckets: buckets.Count(b => b.Cpu == c), Packets: buckets.Where(b => b.Cpu == c).Aggregate(0ul, (s, b) => s + b.Packets))).ToArray();
            var imbalance = LoadImbalance.Of([.. perCpu.Select(p => p.Packets)]);
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(_json))
            {
                JsonOutput.Write(output, json =>
                {
                    json.WriteStartObject();
                    json.WriteString("device", attached.Device.Name);
                    json.WriteNumber("buckets", buckets.Length);
                    json.WriteNumber("packets", total);
                    json.WriteNumber("imbalance", imbalance);
                    json.WriteStartArray("cpus");
                    foreach (var p in perCpu)
                    {
                        json.WriteStartObject();
                        json.WriteNumber("cpu", p.Cpu);
                        json.WriteNumber("buckets", p.Buckets);
                        json.WriteNumber("packets", p.Packets);
                        json.WriteEndObject();
                    }
                    json.WriteEndArray();
                    json.WriteStartArray("table");
                    foreach (var b in buckets)
                    {
                        json.WriteStartObject();
                        json.WriteNumber("bucket", b.Bucket);
                        json.WriteNumber("cpu", b.Cpu);
                        json.WriteNumber("packets", b.Packets);
                        json.WriteEndObject();
                    }
                    json.WriteEndArray();
                    json.WriteEndObject();
                });
                return 0;
            }
            var console = ObjectConsole.For(parse);
            output.WriteLine($"RX flow hash indirection table for {attached.Device.Name} with {buckets.Length} buckets, {total} frames counted:");
            var rows = ObjectConsole.Table("buckets", "bucket", "CPU", "frames");
            foreach (var b in buckets)
                rows.AddTextRow(b.Bucket.ToString(CultureInfo.InvariantCulture), b.Cpu.ToString(CultureInfo.InvariantCulture), b.Packets.ToString(CultureInfo.InvariantCulture));
            console.Write(rows);
            var summary = ObjectConsole.Table("per CPU", "CPU", "buckets", "frames", "share");
            foreach (var p in perCpu)
                summary.AddTextRow(p.Cpu.ToString(CultureInfo.InvariantCulture), p.Buckets.ToString(CultureInfo.InvariantCulture), p.Packets.ToString(CultureInfo.InvariantCulture),
                    total == 0 ? "-" : $"{100.0 * p.Packets / total:F1} %");
            console.Write(summary);
            output.WriteLine($"imbalance {imbalance:F2} (busiest CPU's share ÷ 1/{perCpu.Length}; 1.00 is even)");
            return 0;
        }
    }

    private sealed class SetCommand : Command
    {
        private readonly Option<string> _dev = RssOptions.Dev(required: true);

        private readonly Option<int?> _bucket = new("--bucket")
        {
            Description = "The bucket to move (0 to buckets - 1; 'cpumap rss show' lists them); with --cpu",
            HelpName = "B",
            CustomParser = result =>
            {
                var text = OptionTokens.Text(result);
                if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
                    return value;
                result.AddError($"--bucket {text} is not a bucket number: give 0 to the table's size - 1, e.g. --bucket 5.");
                return null;
            },
        };

        private readonly Option<int?> _cpu = new("--cpu")
        {
            Description = "The CPU the bucket's flows go to (one of the redirect's CPUs); with --bucket",
            HelpName = "C",
            CustomParser = result =>
            {
                var text = OptionTokens.Text(result);
                if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
                    return value;
                result.AddError($"--cpu {text} is not a CPU number: give one of the redirect's CPUs, e.g. --cpu 1.");
                return null;
            },
        };

        private readonly Option<RssWeight[]?> _weights = new("--weights")
        {
            Description = "Spread every bucket over these CPUs in proportion to their weights, e.g. 0:3,1:1 (a CPU without :W weighs 1, so 0,1 is even)",
            HelpName = "CPU[:W],...",
            CustomParser = result =>
            {
                var text = OptionTokens.Text(result);
                try
                {
                    return RssWeights.Parse(text);
                }
                catch (ArgumentException e)
                {
                    result.AddError($"--weights {text}: {ObjectConsole.Sentence(e)}");
                    return null;
                }
            },
        };

        public SetCommand() : base("set", "Point one bucket at a CPU (--bucket B --cpu C), or spread all buckets by weight (--weights); like ethtool -X")
        {
            Options.Add(_dev);
            Options.Add(_bucket);
            Options.Add(_cpu);
            Options.Add(_weights);
            Validators.Add(result =>
            {
                var bucket = result.GetResult(_bucket) is not null;
                var cpu = result.GetResult(_cpu) is not null;
                var weights = result.GetResult(_weights) is not null;
                if (weights && (bucket || cpu))
                    result.AddError("Give either --bucket B --cpu C (one bucket) or --weights CPU:W,... (the whole table), not both.");
                else if (!weights && !(bucket && cpu))
                    result.AddError(bucket || cpu
                        ? $"{(bucket ? "--bucket needs --cpu" : "--cpu needs --bucket")}: give both, e.g. --bucket 5 --cpu 1."
                        : "Nothing to set: give --bucket B --cpu C (one bucket) or --weights CPU:W,... (the whole table).");
            });
            SetAction(parse => RssConsole.Run(parse, "rss set", _ => Run(parse)));
        }

        private int Run(ParseResult parse)
        {
            var device = parse.GetValue(_dev)!;
            using var attached = AttachedRedirect.Open(device);
            var table = TableOf(attached);
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetResult(_weights) is not null && parse.GetValue(_weights) is { } weights)
            {
                try
                {
                    table.SetWeights(weights);
                }
                catch (ArgumentException e)
                {
                    throw new ArgumentException($"--weights: {ObjectConsole.Sentence(e)}", e);
                }
                var cpus = table.ReadCpus();
                output.WriteLine($"{device}: {cpus.Length} buckets spread as " +
                                 string.Join(", ", weights.Select(w => $"CPU {w.Cpu} {cpus.Count(c => c == w.Cpu)}")));
                return 0;
            }
            var bucket = parse.GetValue(_bucket)!.Value;
            var cpu = parse.GetValue(_cpu)!.Value;
            var from = bucket >= 0 && bucket < table.Buckets ? table.ReadCpus()[bucket] : -1;
            try
            {
                table.Set(bucket, cpu);
            }
            catch (ArgumentOutOfRangeException e)
            {
                throw new ArgumentException($"--{e.ParamName} {e.ActualValue}: {ObjectConsole.Sentence(e)}", e);
            }
            output.WriteLine($"{device}: bucket {bucket} moved from CPU {from} to CPU {cpu}");
            return 0;
        }
    }
}
