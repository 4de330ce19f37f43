using System.Text;

namespace CpuMap.Managed.Syscalls;

/// <summary>Turns the kernel-spelled PascalCase member names of this library back into the kernel's UPPER_SNAKE names.</summary>
public static class KernelNames
{
    /// <summary>"MapLookupElem" → "MAP_LOOKUP_ELEM", "CgroupInet4Bind" → "CGROUP_INET4_BIND".</summary>
    public static string ToUpperSnake(string pascal)
    {
        var sb = new StringBuilder(pascal.Length + 8);
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            if (char.IsUpper(c) && i > 0)
                sb.Append('_');
            sb.Append(char.ToUpperInvariant(c));
        }
        return sb.ToString();
    }

    /// <summary>
    /// The member of <typeparamref name="TEnum"/> that <paramref name="text"/> names in the kernel's words, with or without
    /// <paramref name="prefix"/> and in any case: "xdp", "socket_filter" and "BPF_PROG_TYPE_SOCKET_FILTER" all name theirs.
    /// </summary>
    public static bool TryParse<TEnum>(string text, string prefix, out TEnum value) where TEnum : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(text);
        var wanted = text.Trim().ToUpperInvariant();
        if (wanted.StartsWith(prefix, StringComparison.Ordinal))
            wanted = wanted[prefix.Length..];
        foreach (var member in Enum.GetValues<TEnum>())
        {
            if (ToUpperSnake(member.ToString()) == wanted)
            {
                value = member;
                return true;
            }
        }
        value = default;
        return false;
    }

    /// <summary>Every member of <typeparamref name="TEnum"/> as the kernel names it without its prefix, in lower case ("socket_filter").</summary>
    public static IEnumerable<string> LowerNames<TEnum>() where TEnum : struct, Enum
        => Enum.GetValues<TEnum>().Select(member => ToUpperSnake(member.ToString()).ToLowerInvariant());
}
