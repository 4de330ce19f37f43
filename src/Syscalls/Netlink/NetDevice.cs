using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace CpuMap.Managed.Syscalls.Netlink;

/// <summary>
/// Network device names and indexes (if_nametoindex / if_indextoname), in the calling thread's
/// network namespace: inside <see cref="NetworkNamespace.Run(Action)"/> they see that namespace.
/// </summary>
public static unsafe class NetDevice
{
    /// <summary>IFNAMSIZ - 1: the longest device name the kernel takes.</summary>
    public const int MaxNameLength = 15;

    /// <summary>The ifindex of the device named <paramref name="name"/>.</summary>
    /// <exception cref="BpfOperationException">No such device in this namespace (the message names it).</exception>
    /// <exception cref="ArgumentException">The name is not a valid device name.</exception>
    public static int IndexOf(string name) => IndexOf(name, nameof(name));

    /// <summary><see cref="IndexOf(string)"/> for callers whose own parameter holds the name.</summary>
    internal static int IndexOf(string name, string paramName)
    {
        ValidateName(name, paramName);
        var index = (int)Interop.IfNameToIndex(name);
        if (index > 0)
            return index;
        throw new BpfOperationException($"if_nametoindex({name})",
            $"No network device is named '{name}' in this network namespace: check the name with 'ip link' " +
            "(devices inside another network namespace are only visible from there).", Errno.Last);
    }

    /// <summary>The ifindex of the device named <paramref name="name"/>, or false when there is none.</summary>
    public static bool TryIndexOf(string name, out int index)
    {
        ValidateName(name, nameof(name));
        index = (int)Interop.IfNameToIndex(name);
        return index > 0;
    }

    /// <summary>The name of the device with <paramref name="ifindex"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is not positive.</exception>
    /// <exception cref="BpfOperationException">No device has it in this namespace.</exception>
    public static string NameOf(int ifindex)
    {
        ValidateIndex(ifindex, nameof(ifindex));
        var buffer = stackalloc byte[Interop.IF_NAMESIZE];
        if (Interop.IfIndexToName((uint)ifindex, buffer) == null)
            throw BpfOperationException.SystemCall($"if_indextoname({ifindex})", Errno.Last,
                $"no network device has ifindex {ifindex} in this network namespace: list them with 'ip link'.");
        return new string((sbyte*)buffer);
    }

    /// <summary>
    /// Whether <paramref name="name"/> is a name the kernel takes for a network device (its dev_valid_name), and if not, why:
    /// the one rule for device names, for callers that check input before they use it.
    /// </summary>
    public static bool IsValidName(string name, [NotNullWhen(false)] out string? reason)
    {
        ArgumentNullException.ThrowIfNull(name);
        var bytes = Encoding.UTF8.GetByteCount(name);
        reason = bytes is 0 or > MaxNameLength
                ? $"A network device name is 1 to {MaxNameLength} bytes (IFNAMSIZ is 16 with the NUL); '{name}' is {bytes}: use a name of 1 to {MaxNameLength} bytes."
            : name is "." or ".." || name.AsSpan().IndexOfAny("/: \t\n") >= 0
                ? $"'{name}' is not a valid network device name: the kernel refuses '.', '..', and names containing '/', ':' or whitespace (see 'ip link' for the names there are)."
            : null;
        return reason is null;
    }

    /// <summary>Refuses what the kernel's dev_valid_name refuses, naming the parameter.</summary>
    internal static void ValidateName(string? name, string paramName)
    {
        ArgumentNullException.ThrowIfNull(name, paramName);
        if (!IsValidName(name, out var reason))
            throw new ArgumentException(reason, paramName);
    }

    internal static void ValidateIndex(int ifindex, string paramName)
    {
        if (ifindex <= 0)
            throw new ArgumentOutOfRangeException(paramName, ifindex,
                "An ifindex is above 0; look a device's index up with NetDevice.IndexOf(name) or in /sys/class/net/DEV/ifindex.");
    }
}
