using System.Diagnostics;
using System.Globalization;

namespace CpuMap.Managed.Testing;

/// <summary>
/// Runs many mutated inputs through one parser or command and fails on any that escapes: an
/// exception that is not the project's own refusal. Input i is made from a random generator seeded
/// with (seed, i) alone, so a failure replays from the seed and index it prints. Writes its count and
/// time to the CI log (see <see cref="FuzzReport"/>), and fails when either outcome is rare: then the
/// mutations are not reaching the decoders, or never get past them.
/// </summary>
public static class FuzzCampaign
{
    /// <param name="target">What is fuzzed, as the log line names it, e.g. "inspect --json".</param>
    /// <param name="seed">The campaign's fixed seed.</param>
    /// <param name="inputs">How many inputs.</param>
    /// <param name="mutate">Makes one input and says how it was made.</param>
    /// <param name="exercise">Runs one input; throws what escaped.</param>
    /// <param name="cancellation">The test's token (it has a timeout).</param>
    /// <param name="minShare">The least share of inputs each outcome must have.</param>
    public static Task<(int Accepted, int Rejected)> RunAsync<T>(string target, int seed, int inputs, Func<Random, (T Input, string How)> mutate,
        Func<T, FuzzOutcome> exercise, CancellationToken cancellation, double minShare = 0.05) =>
        Task.Run(() => Run(target, seed, inputs, mutate, exercise, minShare, cancellation), cancellation);

    /// <summary>The generator input <paramref name="index"/> of a campaign is made with.</summary>
    public static Random RandomFor(int seed, int index) => new(unchecked(seed * 1_000_003 + index));

    private static (int Accepted, int Rejected) Run<T>(string target, int seed, int inputs, Func<Random, (T Input, string How)> mutate,
        Func<T, FuzzOutcome> exercise, double minShare, CancellationToken cancellation)
    {
        int accepted = 0, rejected = 0, escaped = 0;
        string? firstEscape = null;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < inputs; i++)
        {
            cancellation.ThrowIfCancellationRequested();
            var (input, how) = mutate(RandomFor(seed, i));
            try
            {
                if (exercise(input) == FuzzOutcome.Accepted)
                    accepted++;
                else
                    rejected++;
            }
            catch (Exception e)
            {
                escaped++;
                firstEscape ??= $"fuzz: {target}: input {i} of seed {seed} ({how}) escaped with {e.GetType().Name}: {e}";
            }
        }
        clock.Stop();
        var line = string.Create(CultureInfo.InvariantCulture,
            $"fuzz: {target}: {inputs} inputs in {clock.Elapsed.TotalSeconds:F1} s, {escaped} escaped (accepted {accepted}, rejected {rejected})");
        FuzzReport.Write(target, line);
        TestContext.Current.SendDiagnosticMessage(line);

        if (firstEscape is not null)
            Assert.Fail($"{line}; the first: {firstEscape}");
        var least = (int)(inputs * minShare);
        Assert.True(accepted >= least, $"{line}: fewer than {least} accepted, so the mutations hardly get past the first checks");
        Assert.True(rejected >= least, $"{line}: fewer than {least} rejected, so the mutations hardly reach the decoders' checks");
        return (accepted, rejected);
    }
}
