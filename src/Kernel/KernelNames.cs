using System.Text;

namespace CpuMap.Managed;

/// <summary>
/// The one place that spells this library's kernel types as the kernel's headers do: the PascalCase members
/// (kernel spelling kept, prefix dropped) back to UPPER_SNAKE with their prefix, and kernel names back to members.
/// </summary>
public static class KernelNames
{
    /// <summary>BPF_MAP_CREATE.</summary>
    public static string Of(BpfCommand command) => Prefixed("BPF_", command);

    /// <summary>BPF_MAP_TYPE_CPUMAP.</summary>
    public static string Of(BpfMapType type) => Prefixed("BPF_MAP_TYPE_", type);

    /// <summary>BPF_PROG_TYPE_XDP.</summary>
    public static string Of(BpfProgType type) => Prefixed("BPF_PROG_TYPE_", type);

    /// <summary>BPF_XDP_CPUMAP.</summary>
    public static string Of(BpfAttachType type) => Prefixed("BPF_", type);

    /// <summary>BPF_LINK_TYPE_XDP.</summary>
    public static string Of(BpfLinkType type) => Prefixed("BPF_LINK_TYPE_", type);

    /// <summary>XDP_PASS.</summary>
    public static string Of(XdpAction action) => Prefixed("XDP_", action);

    /// <summary>"BPF_F_NO_PREALLOC|BPF_F_RDONLY_PROG", "0" for none; an unknown bit as its hex value.</summary>
    public static string Of(BpfMapFlags flags) => FlagNames("BPF_F_", flags);

    /// <summary>"BPF_F_XDP_HAS_FRAGS", "0" for none; an unknown bit as its hex value.</summary>
    public static string Of(BpfProgFlags flags) => FlagNames("BPF_F_", flags);

    /// <summary>
    /// How the tools spell an XDP mode: "native", "skb", "offload", "auto" (the member's name in lower case; iproute2
    /// says xdpdrv, xdpgeneric, xdpoffload).
    /// </summary>
    public static string Of(XdpMode mode) => Enum.IsDefined(mode) ? mode.ToString().ToLowerInvariant() : $"XDP mode {(int)mode}";

    /// <summary>
    /// <paramref name="prefix"/> and the member's kernel name ("BPF_PROG_TYPE_" + "SOCKET_FILTER"); a value the enum does not
    /// know as the prefix and its number, so that a newer kernel's answer still prints.
    /// </summary>
    public static string Prefixed<TEnum>(string prefix, TEnum value) where TEnum : struct, Enum
        => Enum.IsDefined(value) ? prefix + ToUpperSnake(value.ToString()) : $"{prefix.TrimEnd('_')} {Convert.ToUInt64(value, System.Globalization.CultureInfo.InvariantCulture)}";

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

    private static string FlagNames<TFlags>(string prefix, TFlags flags) where TFlags : struct, Enum
    {
        var bits = Convert.ToUInt64(flags, System.Globalization.CultureInfo.InvariantCulture);
        if (bits == 0)
            return "0";
        var names = new List<string>();
        for (var bit = 1ul; bit != 0; bit <<= 1)
        {
            if ((bits & bit) == 0)
                continue;
            var member = (TFlags)Enum.ToObject(typeof(TFlags), bit);
            names.Add(Enum.IsDefined(member) ? prefix + ToUpperSnake(member.ToString()) : $"0x{bit:x}");
        }
        return string.Join("|", names);
    }
}
