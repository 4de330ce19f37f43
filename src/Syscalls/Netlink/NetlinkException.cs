namespace CpuMap.Managed.Syscalls.Netlink;

/// <summary>
/// An rtnetlink request failed. Carries the request type, the errno, the kernel's own
/// explanation (the extended ack message, NLMSGERR_ATTR_MSG, when it sent one) and a sentence
/// naming the likely cause and the fix; the message puts all of them together.
/// </summary>
public sealed class NetlinkException : BpfOperationException
{
    /// <summary>A refusal of <paramref name="request"/> with <paramref name="errno"/>, the extended ack <paramref name="kernelMessage"/> (null when none) and a <paramref name="hint"/>.</summary>
    public NetlinkException(RtmType request, Errno errno, string? kernelMessage, string hint)
        : base(RequestName(request), FormatMessage(request, errno, kernelMessage, hint), errno)
    {
        Request = request;
        KernelMessage = kernelMessage;
        Hint = hint;
    }

    /// <summary>The request that failed.</summary>
    public RtmType Request { get; }

    /// <summary>What the kernel answered: a refusal of this kind always has one, so this is not nullable here.</summary>
    public new Errno Errno => base.Errno!.Value;

    /// <summary>The extended ack message, e.g. "XDP program already attached.", or null when the kernel sent none.</summary>
    public string? KernelMessage { get; }

    /// <summary>The likely cause and the fix.</summary>
    public string Hint { get; }

    /// <summary>The request's kernel name, e.g. RTM_SETLINK.</summary>
    public static string RequestName(RtmType request) => "RTM_" + request.ToString().ToUpperInvariant();

    private static string FormatMessage(RtmType request, Errno errno, string? kernelMessage, string hint)
        => kernelMessage is null
            ? $"{RequestName(request)} failed with {errno.NameAndDescription}: {hint}"
            : $"{RequestName(request)} failed with {errno.NameAndDescription}, the kernel says \"{kernelMessage}\": {hint}";
}
