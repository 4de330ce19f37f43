using System.Globalization;

namespace CpuMap.Managed.Programs.Redirect;

/// <summary>A CPU's weight in the indirection table: its share of the buckets is Weight ÷ the sum of weights.</summary>
public readonly record struct RssWeight(int Cpu, int Weight);

/// <summary>Turning weights into a table, and reading them in the form CPU[:WEIGHT],... (as the cpumap tool's rss set takes them).</summary>
public static class RssWeights
{
    /// <summary>The largest weight: large enough for any ratio a table of <see cref="RssIndirectionTable.MaxBuckets"/> can show.</summary>
    public const int MaxWeight = 65536;

    /// <summary>
    /// Parses <c>CPU[:WEIGHT],...</c> (e.g. "0:3,1:1", or "0,1,2" for equal weights). Errors name the item, the cause
    /// and the fix.
    /// </summary>
    public static RssWeight[] Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        const string Form = "write CPU:WEIGHT pairs separated by commas, e.g. 0:3,1:1 (a CPU without :WEIGHT weighs 1)";
        var weights = new List<RssWeight>();
        foreach (var item in text.Split(','))
        {
            var parts = item.Trim().Split(':');
            if (parts.Length > 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var cpu))
                throw new ArgumentException($"'{item}' in the weights '{text}' is not CPU:WEIGHT: {Form}.", nameof(text));
            var weight = 1;
            if (parts.Length == 2 && (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out weight) || weight > MaxWeight))
                throw new ArgumentException($"'{item}' in the weights '{text}' has no weight from 0 to {MaxWeight}: {Form}.", nameof(text));
            weights.Add(new RssWeight(cpu, weight));
        }
        Check(weights, nameof(text));
        return [.. weights];
    }

    /// <summary>
    /// Bucket → CPU for <paramref name="buckets"/> buckets: each CPU gets round(buckets × weight ÷ total) to within one,
    /// interleaved by smooth weighted round-robin, so equal weights give bucket b to weights[b % count].Cpu.
    /// </summary>
    public static int[] Assign(IReadOnlyList<RssWeight> weights, int buckets)
    {
        Check(weights, nameof(weights));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(buckets);
        var total = weights.Sum(w => (long)w.Weight);
        var current = new long[weights.Count];
        var table = new int[buckets];
        for (var b = 0; b < buckets; b++)
        {
            var best = 0;
            for (var i = 0; i < weights.Count; i++)
            {
                current[i] += weights[i].Weight;
                if (current[i] > current[best])
                    best = i;
            }
            current[best] -= total;
            table[b] = weights[best].Cpu;
        }
        return table;
    }

    private static void Check(IReadOnlyList<RssWeight> weights, string name)
    {
        ArgumentNullException.ThrowIfNull(weights, name);
        if (weights.Count == 0)
            throw new ArgumentException("No weights given: name at least one CPU, e.g. 0:1,1:1.", name);
        foreach (var w in weights)
            if (w.Weight is < 0 or > MaxWeight)
                throw new ArgumentOutOfRangeException(name, w.Weight, $"CPU {w.Cpu} has weight {w.Weight}: a weight is 0 to {MaxWeight}.");
        if (weights.Select(w => w.Cpu).Distinct().Count() != weights.Count)
            throw new ArgumentException($"The weights name a CPU twice ({string.Join(',', weights.Select(w => $"{w.Cpu}:{w.Weight}"))}): give each CPU once.", name);
        if (weights.All(w => w.Weight == 0))
            throw new ArgumentException("Every weight is 0: at least one CPU needs a weight above 0 to get buckets.", name);
    }
}
