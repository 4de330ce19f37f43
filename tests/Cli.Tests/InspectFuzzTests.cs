using System.Text.Json;
using CpuMap.Managed.Testing;

namespace CpuMap.Managed.Cli.Tests;

/// <summary>
/// `cpumap inspect FILE.o` and `--json` on damaged fixtures (the shared <see cref="ByteMutator"/>,
/// fixed seeds): the command prints the object, or exits 1 with one line of reason. Never a stack
/// trace, and --json output always parses.
/// </summary>
public sealed class InspectFuzzTests : IDisposable
{
    // The tables cost about 2 ms an object (Spectre's layout), JSON under 1 ms: both stay near 15 s here.
    private const int TableInputs = 8_000;
    private const int JsonInputs = 15_000;

    private static readonly FuzzSeed[] Seeds = FuzzSeed.EveryFixture();

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact(Timeout = 120_000)]
    public async Task Inspect_prints_or_refuses_in_one_line() =>
        await FuzzCampaign.RunAsync("cpumap inspect", 20261205, TableInputs, Mutant, path =>
        {
            var (exit, output, error) = CpumapInProcess.Invoke("inspect", path);
            var outcome = CommandOutcome.Of(exit, error, "cpumap inspect: ");
            if (outcome == FuzzOutcome.Accepted && !output.Contains("programs", StringComparison.Ordinal))
                throw new FuzzEscape($"exit code 0 without the tables: {output}");
            return outcome;
        }, TestContext.Current.CancellationToken);

    [Fact(Timeout = 120_000)]
    public async Task Inspect_json_prints_json_or_refuses_in_one_line() =>
        await FuzzCampaign.RunAsync("cpumap inspect --json", 20261206, JsonInputs, Mutant, path =>
        {
            var (exit, output, error) = CpumapInProcess.Invoke("inspect", path, "--json");
            var outcome = CommandOutcome.Of(exit, error, "cpumap inspect: ");
            if (outcome == FuzzOutcome.Accepted)
            {
                try
                {
                    using var json = JsonDocument.Parse(output);
                }
                catch (JsonException e)
                {
                    throw new FuzzEscape($"exit code 0 but the output is not JSON ({e.Message}): {output}");
                }
            }
            return outcome;
        }, TestContext.Current.CancellationToken);

    /// <summary>A damaged fixture, written where the command can read it.</summary>
    private (string Path, string How) Mutant(Random random)
    {
        var seed = Seeds[random.Next(Seeds.Length)];
        var (bytes, how) = ByteMutator.Mutate(random, seed, Seeds[random.Next(Seeds.Length)]);
        var path = Path.Combine(_dir.Path, "mutant.o");
        File.WriteAllBytes(path, bytes);
        return (path, $"{seed.Name}: {how}");
    }
}
