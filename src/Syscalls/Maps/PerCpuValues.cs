using System.Collections;
using System.Numerics;

namespace CpuMap.Managed.Syscalls.Maps;

/// <summary>
/// One entry of a per-CPU map: a value for every CPU, indexed by CPU number (<c>values[cpu]</c>), <see cref="CpuList.NrCpuIds"/>
/// of them. Numbers that are not possible CPUs (holes in the possible list) hold the default value, so a sum over all of them
/// is the entry's total. <see cref="PerCpuArray{T}.Get"/> reads one.
/// </summary>
public sealed class PerCpuValues<T> : IReadOnlyList<T> where T : unmanaged
{
    private readonly T[] _values;

    internal PerCpuValues(T[] values) => _values = values;

    /// <summary>The value of <paramref name="cpu"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="cpu"/> is negative or not below <see cref="CpuList.NrCpuIds"/>.</exception>
    public T this[int cpu] => (uint)cpu < (uint)_values.Length
        ? _values[cpu]
        : throw new ArgumentOutOfRangeException(nameof(cpu), cpu,
            $"CPU {cpu} has no value: per-CPU values are indexed by CPU number, 0 to {_values.Length - 1} on this machine (possible: {CpuList.Possible}).");

    /// <summary>How many values: the highest possible CPU + 1 (<see cref="CpuList.NrCpuIds"/>).</summary>
    public int Count => _values.Length;

    /// <summary>The sum over every CPU of <paramref name="selector"/>'s part of the value (e.g. one field of a struct of counters).</summary>
    public ulong Sum(Func<T, ulong> selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        var sum = 0ul;
        foreach (var value in _values)
            sum += selector(value);
        return sum;
    }

    /// <summary>A copy of the values, indexed by CPU number.</summary>
    public T[] ToArray() => (T[])_values.Clone();

    /// <inheritdoc/>
    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_values).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>Sums of per-CPU numbers.</summary>
public static class PerCpuValues
{
    /// <summary>The entry's total: the sum of every CPU's value.</summary>
    public static T Sum<T>(this PerCpuValues<T> values) where T : unmanaged, INumber<T>
    {
        ArgumentNullException.ThrowIfNull(values);
        var sum = T.Zero;
        foreach (var value in values)
            sum += value;
        return sum;
    }
}
