using CpuMap.Managed.Elf;

namespace CpuMap.Managed.Cli.Tests;

/// <summary>
/// `cpumap load` on damaged fixtures (the shared <see cref="ByteMutator"/>, fixed seeds), loaded for real: the
/// command loads, or exits 1 with one line of reason (and the verifier's last lines). What the load does before the
/// kernel is fuzzed with many more inputs in Loader.Tests' LoadFuzzTests.
/// </summary>
public sealed class LoadFuzzTests : IDisposable
{
    private const int KernelInputs = 500;

    // A mutant may declare a map of gigabytes; the kernel would try to allocate it. Such mutants are
    // drawn again: the real loads fuzz our code, not the test machine's memory.
    private const long MaxMapBytes = 16 << 20;

    private static readonly FuzzSeed[] Seeds = FuzzSeed.EveryFixture();

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact(Timeout = 300_000)]
    public async Task The_load_command_loads_or_refuses_in_one_line()
    {
        Kernel.RequireBpf();
        var path = Path.Combine(_dir.Path, "mutant.o");
        // Maps pinned by name (map_features' sized_hash) go to a folder of the test's own, removed with it.
        using var pinRoot = new BpfFsFolder();
        await FuzzCampaign.RunAsync("cpumap load, into the kernel", 20261208, KernelInputs, random =>
        {
            while (true)
            {
                var seed = Seeds[random.Next(Seeds.Length)];
                var (bytes, how) = ByteMutator.Mutate(random, seed, Seeds[random.Next(Seeds.Length)]);
                if (FitsTheTestMachine(bytes))
                {
                    File.WriteAllBytes(path, bytes);
                    return (path, $"{seed.Name}: {how}");
                }
            }
        }, mutant =>
        {
            var (exit, output, error) = CpumapInProcess.Invoke("load", mutant, "--pin-root", pinRoot.Path);
            var outcome = CommandOutcome.Of(exit, error, "cpumap load: ", notePrefix: "cpumap load: warning: ", blockHeaders: ["Verifier log (last lines", "BTF log (last lines"]);
            if (outcome == FuzzOutcome.Accepted && !output.Contains("Closed on exit", StringComparison.Ordinal))
                throw new FuzzEscape($"exit code 0 without the tables: {output}");
            return outcome;
        }, TestContext.Current.CancellationToken, minShare: 0.02);
    }

    private static bool FitsTheTestMachine(byte[] bytes)
    {
        try
        {
            return BpfObject.Parse(bytes, "mutant.o").Maps.All(m =>
                ((long)m.KeySize + m.ValueSize) * Math.Max(1, m.MaxEntries) * Environment.ProcessorCount <= MaxMapBytes
                && (m.InnerMap is not { } inner || ((long)inner.KeySize + inner.ValueSize) * inner.MaxEntries <= MaxMapBytes));
        }
        catch (BpfObjectException)
        {
            return true;
        }
    }
}
