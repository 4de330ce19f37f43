using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace CpuMap.Managed.Syscalls;

/// <summary>
/// A set of CPU numbers in the kernel's cpulist format ("0-3,5,8-11"), as found in
/// /sys/devices/system/cpu/possible and /online. Possible CPUs can have holes: the count of
/// possible CPUs is what per-CPU map values are sized by, and CPUMAP refuses the others (ENODEV).
/// </summary>
public sealed class CpuList : IReadOnlyList<int>
{
    /// <summary>Where the kernel lists the CPUs that can ever come online.</summary>
    public const string PossiblePath = "/sys/devices/system/cpu/possible";

    /// <summary>Where the kernel lists the CPUs online now.</summary>
    public const string OnlinePath = "/sys/devices/system/cpu/online";

    private static readonly Lazy<CpuList> PossibleCpus = new(() => Read(PossiblePath), LazyThreadSafetyMode.PublicationOnly);

    private readonly int[] _cpus;
    private readonly bool[] _present;

    private CpuList(int[] cpus)
    {
        _cpus = cpus;
        _present = new bool[cpus.Length == 0 ? 0 : cpus[^1] + 1];
        foreach (var cpu in cpus)
            _present[cpu] = true;
    }

    /// <summary>The possible CPUs; read once, as they cannot change while the system runs.</summary>
    public static CpuList Possible => PossibleCpus.Value;

    /// <summary>
    /// The highest possible CPU + 1: the kernel's nr_cpu_ids. The size of anything indexed by CPU number (a CPUMAP
    /// with an entry for every CPU, per-CPU values laid out by CPU), which is more than <see cref="Count"/> of
    /// <see cref="Possible"/> when the possible list has holes.
    /// </summary>
    public static int NrCpuIds => Possible[^1] + 1;

    /// <summary>
    /// Whether <paramref name="cpus"/> is a selection of CPUs to spread work over (a CPUMAP's entries, a redirect's targets):
    /// at least one, each a possible CPU, each once; if not, why and what to do instead. The one rule for such lists, for
    /// callers that check input before they use it.
    /// </summary>
    public static bool IsValidSelection(IReadOnlyList<int> cpus, [NotNullWhen(false)] out string? reason)
    {
        ArgumentNullException.ThrowIfNull(cpus);
        reason = SelectionProblem(cpus);
        return reason is null;
    }

    private static string? SelectionProblem(IReadOnlyList<int> cpus)
    {
        if (cpus.Count == 0)
            return $"The CPU list is empty: give at least one of the possible CPUs ({Possible}).";
        var seen = new HashSet<int>();
        foreach (var cpu in cpus)
        {
            if (!Possible.Contains(cpu))
                return $"CPU {cpu} is not a possible CPU of this machine (possible: {Possible}, from {PossiblePath}); a CPUMAP entry can only " +
                       "run on a possible CPU (the kernel answers ENODEV): remove it from the list.";
            if (!seen.Add(cpu))
                return $"CPU {cpu} appears more than once in the CPU list [{string.Join(',', cpus)}]: list each CPU once.";
        }
        return null;
    }

    /// <summary>The CPUs online now (read on each call: CPUs can go on and off line).</summary>
    public static CpuList ReadOnline() => Read(OnlinePath);

    /// <summary>Reads and parses a cpulist file such as <see cref="PossiblePath"/>.</summary>
    public static CpuList Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BpfOperationException($"read {path}",
                $"Cannot read the CPU list '{path}': {e.Message}. It comes from sysfs; make sure /sys is mounted " +
                "(in a container: mount sysfs or bind-mount /sys/devices/system/cpu).", innerException: e);
        }
        return Parse(text, path);
    }

    /// <summary>
    /// Parses a cpulist: comma-separated CPU numbers and inclusive ranges, surrounding white
    /// space and a trailing newline allowed, overlaps merged, empty meaning no CPUs.
    /// </summary>
    /// <param name="text">The list, e.g. "0-3,5,8-11\n".</param>
    /// <param name="source">Named in errors, e.g. the file the text came from.</param>
    public static CpuList Parse(string text, string source = "cpulist")
    {
        ArgumentNullException.ThrowIfNull(text);
        var span = text.AsSpan().Trim();
        var cpus = new List<int>();
        if (span.IsEmpty)
            return new CpuList([]);
        var position = text.Length - text.TrimStart().Length;
        foreach (var range in span.Split(','))
        {
            var item = span[range];
            var start = position + range.Start.Value;
            if (item.IsEmpty)
                throw Bad(text, source, start, "an empty item (two commas in a row, or a comma at an end)");
            var dash = item.IndexOf('-');
            var first = Number(text, source, item[..(dash < 0 ? item.Length : dash)], start);
            var last = dash < 0 ? first : Number(text, source, item[(dash + 1)..], start + dash + 1);
            if (last < first)
                throw Bad(text, source, start, $"the range {first}-{last} runs backwards");
            for (var cpu = first; cpu <= last; cpu++)
                cpus.Add(cpu);
        }
        // Overlapping items are allowed, as the kernel's cpulist_parse allows them.
        var distinct = cpus.Distinct().ToArray();
        Array.Sort(distinct);
        return new CpuList(distinct);
    }

    /// <summary>The number of CPUs in the list.</summary>
    public int Count => _cpus.Length;

    /// <summary>The i-th CPU number, in ascending order.</summary>
    public int this[int index] => _cpus[index];

    /// <summary>Whether <paramref name="cpu"/> is in the list.</summary>
    public bool Contains(int cpu) => (uint)cpu < (uint)_present.Length && _present[cpu];

    /// <inheritdoc/>
    public IEnumerator<int> GetEnumerator() => ((IEnumerable<int>)_cpus).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The list in the kernel's format, ranges collapsed ("0-3,5").</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        for (var i = 0; i < _cpus.Length;)
        {
            var j = i;
            while (j + 1 < _cpus.Length && _cpus[j + 1] == _cpus[j] + 1)
                j++;
            parts.Add(i == j ? $"{_cpus[i]}" : $"{_cpus[i]}-{_cpus[j]}");
            i = j + 1;
        }
        return string.Join(',', parts);
    }

    /// <summary>Larger than any NR_CPUS the kernel allows (8192), so a typo cannot allocate gigabytes.</summary>
    private const int MaxCpu = 1 << 16;

    private static int Number(string text, string source, ReadOnlySpan<char> digits, int position)
    {
        var trimmed = digits.Trim();
        if (trimmed.IsEmpty)
            throw Bad(text, source, position, "a range is missing a CPU number");
        foreach (var c in trimmed)
            if (!char.IsAsciiDigit(c))
                throw Bad(text, source, position, $"'{trimmed}' is not a CPU number (only digits, '-' and ',' are allowed)");
        if (!int.TryParse(trimmed, out var value) || value >= MaxCpu)
            throw Bad(text, source, position, $"CPU {trimmed} is beyond the largest CPU number Linux supports");
        return value;
    }

    private static FormatException Bad(string text, string source, int position, string cause)
        => new($"The CPU list from {source} ('{text.Trim()}') is invalid at character {position}: {cause}. " +
               "Expected comma-separated CPU numbers and ranges, e.g. '0-3,5,8-11'.");
}
