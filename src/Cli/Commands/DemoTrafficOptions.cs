using System.CommandLine;
using System.Globalization;
using CpuMap.Managed.Programs;
using CpuMap.Managed.Programs.Traffic;

namespace CpuMap.Managed.Cli.Commands;

/// <summary>The demo's traffic-shape options: --flows, --skew and --rounds, checked at parse time.</summary>
internal static class DemoTrafficOptions
{
    public static Option<int> Flows() => new("--flows")
    {
        Description = $"Distinct UDP flows (source ports) the frames are spread over, 1..65535 (default {new DemoOptions().Flows})",
        HelpName = "N",
        DefaultValueFactory = _ => new DemoOptions().Flows,
        CustomParser = result =>
        {
            var text = OptionTokens.Text(result);
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value is < 1 or > 65535)
                result.AddError($"--flows {text} is not a number of flows: give 1 to 65535 (one UDP source port each), e.g. --flows 64.");
            return value;
        },
    };

    public static Option<FlowSkew> Skew() => new("--skew")
    {
        Description = "How the frames are shared among the flows: uniform (default) or zipf:S, flow k getting a share ∝ 1/k^S (a few heavy flows), e.g. zipf:1.2",
        HelpName = "uniform|zipf:S",
        DefaultValueFactory = _ => FlowSkew.Uniform,
        CustomParser = result =>
        {
            var text = OptionTokens.Text(result);
            try
            {
                return FlowSkew.Parse(text);
            }
            catch (ArgumentException e)
            {
                result.AddError($"--skew {ObjectConsole.Sentence(e)}");
                return FlowSkew.Uniform;
            }
        },
    };

    public static Option<int> Rounds() => new("--rounds")
    {
        Description = "With --rebalance: rounds to send the frames in, the rebalancer running between them, 2..100 (default 4)",
        HelpName = "N",
        DefaultValueFactory = _ => 4,
        CustomParser = result =>
        {
            var text = OptionTokens.Text(result);
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value is < 2 or > 100)
                result.AddError($"--rounds {text} is not a number of rounds: give 2 to 100 (the rebalancer runs between rounds), e.g. --rounds 4.");
            return value;
        },
    };
}
