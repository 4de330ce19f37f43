using System.Text;

namespace CpuMap.Managed.Testing;

/// <summary>Committed fixtures altered in memory, for inputs no compiler writes.</summary>
public static class FixtureBytes
{
    /// <summary>
    /// A fixture's bytes with every occurrence of <paramref name="from"/> replaced by <paramref name="to"/>
    /// of the same length (e.g. a section name in the string table; a NUL in <paramref name="to"/> shortens it).
    /// </summary>
    public static byte[] Renamed(string compiler, string fixture, string from, string to)
    {
        Assert.Equal(from.Length, to.Length);
        var bytes = File.ReadAllBytes(Fixtures.PathOf(compiler, fixture));
        var needle = Encoding.ASCII.GetBytes(from);
        var replacement = Encoding.ASCII.GetBytes(to);
        var replaced = 0;
        for (var at = bytes.AsSpan().IndexOf(needle); at >= 0;)
        {
            replacement.CopyTo(bytes, at);
            replaced++;
            var next = bytes.AsSpan(at + 1).IndexOf(needle);
            at = next < 0 ? -1 : at + 1 + next;
        }
        Assert.True(replaced > 0, $"{compiler}/{fixture} does not contain '{from}'");
        return bytes;
    }
}
