using System.Globalization;

namespace CpuMap.Managed.Programs.Traffic;

/// <summary>
/// How the demo's frames are shared among its flows: evenly, or by Zipf's law (flow k of n, from 1, gets a share
/// ∝ 1 / k^S), the shape of real traffic where a few heavy flows carry most frames.
/// </summary>
public sealed record FlowSkew
{
    /// <summary>The largest exponent: at 4 the first flow already carries over 90 % of the frames.</summary>
    public const double MaxExponent = 4;

    private FlowSkew(double exponent) => Exponent = exponent;

    /// <summary>Every flow the same share.</summary>
    public static FlowSkew Uniform { get; } = new(0);

    /// <summary>Zipf's law with exponent <paramref name="s"/> (0 is uniform, 1 is classic Zipf).</summary>
    public static FlowSkew Zipf(double s)
    {
        if (!(s is >= 0 and <= MaxExponent))
            throw new ArgumentOutOfRangeException(nameof(s), s, $"A Zipf exponent is 0 (even) to {MaxExponent}, e.g. 1.2.");
        return new FlowSkew(s);
    }

    /// <summary>The exponent S of 1 / k^S; 0 for <see cref="Uniform"/>.</summary>
    public double Exponent { get; }

    /// <summary>Parses <c>zipf:S</c> (e.g. zipf:1.2) or <c>uniform</c>.</summary>
    public static FlowSkew Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text == "uniform")
            return Uniform;
        if (text.StartsWith("zipf:", StringComparison.Ordinal)
            && double.TryParse(text.AsSpan(5), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var s) && s <= MaxExponent)
            return Zipf(s);
        throw new ArgumentException($"'{text}' is not a skew: write zipf:S with S from 0 to {MaxExponent} (flow k gets a share ∝ 1/k^S, e.g. zipf:1.2), or uniform.", nameof(text));
    }

    /// <summary>
    /// Splits <paramref name="frames"/> among <paramref name="flows"/> flows by this law, exactly (largest remainders):
    /// the counts add up to <paramref name="frames"/>, heaviest first.
    /// </summary>
    public ulong[] Split(ulong frames, int flows)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(flows);
        var weights = Enumerable.Range(1, flows).Select(k => 1 / Math.Pow(k, Exponent)).ToArray();
        var sum = weights.Sum();
        var exact = weights.Select(w => frames * (w / sum)).ToArray();
        var counts = exact.Select(x => (ulong)Math.Floor(x)).ToArray();
        var assigned = counts.Aggregate(0ul, (a, c) => a + c);
        // Rounding of the doubles can overshoot by a frame: take it back from the heaviest flow.
        if (assigned > frames)
            counts[0] -= assigned - frames;
        var left = frames - Math.Min(assigned, frames);
        foreach (var i in Enumerable.Range(0, flows).OrderByDescending(i => exact[i] - Math.Floor(exact[i])).ThenBy(i => i).Take((int)Math.Min(left, (ulong)flows)))
            counts[i]++;
        return counts;
    }

    /// <inheritdoc/>
    public override string ToString() => Exponent == 0 ? "uniform" : $"zipf:{Exponent.ToString(CultureInfo.InvariantCulture)}";
}
