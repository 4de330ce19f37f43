using CpuMap.Managed.Syscalls.Netlink;

namespace CpuMap.Managed.Syscalls.Xdp;

/// <summary>Attach, replace, detach and query: the XDP operations on a device.</summary>
/// <example>
/// <code>
/// using var attachment = XdpAttachment.Attach("eth0", prog, XdpMode.Native);
/// Console.WriteLine(XdpAttachment.Query("eth0")); // XDP drv program id 42
/// </code>
/// </example>
public sealed partial class XdpAttachment
{
    /// <summary>
    /// Attaches <paramref name="prog"/> to the device with <paramref name="ifindex"/>. Refuses to
    /// displace a program already attached (use <see cref="Replace"/> for that).
    /// </summary>
    /// <param name="ifindex">The device, in <paramref name="netns"/> (or the caller's namespace).</param>
    /// <param name="prog">A BPF_PROG_TYPE_XDP program; the caller keeps owning it.</param>
    /// <param name="mode">Generic, native, offload, or Auto (kernel's choice).</param>
    /// <param name="method">
    /// Link (detaches with the process), netlink (stays), or Auto: a link when the kernel has XDP
    /// links, else netlink; when the link is refused with EINVAL, netlink is tried too, and its
    /// answer (with the kernel's extended ack) is the one reported.
    /// </param>
    /// <param name="netns">The namespace the device lives in; null for the calling thread's.</param>
    /// <exception cref="XdpAttachException">The kernel refused; the message says why and what to do.</exception>
    public static XdpAttachment Attach(int ifindex, ProgFd prog, XdpMode mode = XdpMode.Auto,
        XdpAttachMethod method = XdpAttachMethod.Auto, NetworkNamespace? netns = null)
    {
        NetDevice.ValidateIndex(ifindex, nameof(ifindex));
        BpfFd.ThrowIfClosed(prog, nameof(prog));
        _ = mode.ToFlags(); // refuses an undefined mode before the device is looked up
        if (method is not (XdpAttachMethod.Auto or XdpAttachMethod.Link or XdpAttachMethod.Netlink))
            throw new ArgumentOutOfRangeException(nameof(method), method, "Use XdpAttachMethod.Auto, Link or Netlink.");
        var useLink = method == XdpAttachMethod.Link || (method == XdpAttachMethod.Auto && KernelFeatures.XdpLinks.State != FeatureState.Missing);
        return Within(netns, () =>
        {
            var rtnl = RtNetlink.Open();
            try
            {
                var device = DeviceOrThrow(rtnl, ifindex);
                if (useLink)
                {
                    try
                    {
                        var link = Bpf.LinkCreateXdp(prog, ifindex, mode);
                        rtnl.Dispose();
                        return new XdpAttachment(ifindex, device.Name, prog, mode, link, null, ownsRtnl: false);
                    }
                    catch (BpfException e) when (method == XdpAttachMethod.Link || e.Errno != Errno.EINVAL)
                    {
                        throw Explain($"Attaching {prog} to", null, device, mode, XdpAttachMethod.Link, e.Errno, e, rtnl);
                    }
                    catch (BpfException)
                    {
                        // EINVAL is also how a kernel without XDP links (or with them backported
                        // partially) answers: netlink either works or says precisely what is wrong
                        // in its extended ack, so it gets the last word.
                    }
                }
                try
                {
                    rtnl.SetLinkXdp(ifindex, prog, mode, updateIfNoexist: true);
                }
                catch (NetlinkException e)
                {
                    throw Explain($"Attaching {prog} to", null, device, mode, XdpAttachMethod.Netlink, e.Errno, e, rtnl);
                }
                return new XdpAttachment(ifindex, device.Name, prog, mode, null, rtnl, ownsRtnl: true);
            }
            catch
            {
                rtnl.Dispose();
                throw;
            }
        });
    }

    /// <summary>Attaches to the device named <paramref name="device"/> (resolved in <paramref name="netns"/>).</summary>
    public static XdpAttachment Attach(string device, ProgFd prog, XdpMode mode = XdpMode.Auto,
        XdpAttachMethod method = XdpAttachMethod.Auto, NetworkNamespace? netns = null)
        => Attach(Within(netns, () => NetDevice.IndexOf(device, nameof(device))), prog, mode, method, netns);

    /// <summary>
    /// Replaces <paramref name="expected"/> by <paramref name="prog"/> atomically, through netlink
    /// (IFLA_XDP_EXPECTED_FD with XDP_FLAGS_REPLACE): fails, changing nothing, when the attached
    /// program is not <paramref name="expected"/>. The new program stays attached until detached.
    /// </summary>
    public static void Replace(int ifindex, ProgFd prog, ProgFd expected, XdpMode mode = XdpMode.Auto, NetworkNamespace? netns = null)
    {
        NetDevice.ValidateIndex(ifindex, nameof(ifindex));
        BpfFd.ThrowIfClosed(prog, nameof(prog));
        BpfFd.ThrowIfClosed(expected, nameof(expected));
        _ = mode.ToFlags(); // refuses an undefined mode before the device is looked up
        Within(netns, () =>
        {
            using var rtnl = RtNetlink.Open();
            var device = DeviceOrThrow(rtnl, ifindex);
            try
            {
                rtnl.SetLinkXdp(ifindex, prog, mode, expected);
            }
            catch (NetlinkException e)
            {
                throw Explain($"Replacing program id {expected.Id} by {prog} on", expected, device, mode, XdpAttachMethod.Netlink, e.Errno, e, rtnl);
            }
            return 0;
        });
    }

    /// <summary>
    /// Detaches through netlink whatever is attached in <paramref name="mode"/>; with
    /// <see cref="XdpMode.Auto"/>, in every mode. Nothing attached is not an error. A program
    /// attached through a BPF link cannot be removed this way (the link's owner must close it).
    /// </summary>
    public static void Detach(int ifindex, XdpMode mode = XdpMode.Auto, NetworkNamespace? netns = null)
    {
        NetDevice.ValidateIndex(ifindex, nameof(ifindex));
        _ = mode.ToFlags(); // refuses an undefined mode before anything is touched
        Within(netns, () =>
        {
            using var rtnl = RtNetlink.Open();
            var device = DeviceOrThrow(rtnl, ifindex);
            var modes = mode == XdpMode.Auto ? [XdpMode.Native, XdpMode.Skb, XdpMode.Offload] : new[] { mode };
            foreach (var m in modes)
            {
                if (device.Xdp.ProgIdIn(m) == 0)
                    continue;
                try
                {
                    rtnl.SetLinkXdp(ifindex, null, m);
                }
                catch (NetlinkException e)
                {
                    throw new XdpAttachException(
                        $"Detaching XDP program id {device.Xdp.ProgIdIn(m)} from {device.Name} (ifindex {ifindex}) in {KernelNames.Of(m)} mode failed: {e.Message}",
                        ifindex, device.Name, m, e.Errno, e);
                }
            }
            return 0;
        });
    }

    /// <summary>Detaches from the device named <paramref name="device"/>.</summary>
    public static void Detach(string device, XdpMode mode = XdpMode.Auto, NetworkNamespace? netns = null)
        => Detach(Within(netns, () => NetDevice.IndexOf(device, nameof(device))), mode, netns);

    /// <summary>What is attached to the device: mode and program id(s).</summary>
    public static XdpInfo Query(int ifindex, NetworkNamespace? netns = null)
    {
        NetDevice.ValidateIndex(ifindex, nameof(ifindex));
        return Within(netns, () =>
        {
            using var rtnl = RtNetlink.Open();
            return DeviceOrThrow(rtnl, ifindex).Xdp;
        });
    }

    /// <summary>What is attached to the device named <paramref name="device"/>.</summary>
    public static XdpInfo Query(string device, NetworkNamespace? netns = null)
        => Query(Within(netns, () => NetDevice.IndexOf(device, nameof(device))), netns);

    private static T Within<T>(NetworkNamespace? netns, Func<T> func) => netns is null ? func() : netns.Run(func);

    private static NetDeviceInfo DeviceOrThrow(RtNetlink rtnl, int ifindex)
    {
        try
        {
            return rtnl.GetLink(ifindex);
        }
        catch (NetlinkException e) when (e.Errno == Errno.ENODEV)
        {
            throw new BpfOperationException(e.Operation,
                $"No network device has ifindex {ifindex} in this network namespace: look the index up with NetDevice.IndexOf(name), " +
                "and pass the NetworkNamespace the device lives in.", e.Errno, e);
        }
    }

    private static XdpAttachException Explain(string action, ProgFd? expected, NetDeviceInfo device, XdpMode mode,
        XdpAttachMethod method, Errno errno, Exception inner, RtNetlink rtnl)
    {
        var what = $"{action} {device.Name} (ifindex {device.Index}) in {KernelNames.Of(mode)} mode through {(method == XdpAttachMethod.Link ? "a BPF link" : "netlink")} failed";
        var why = errno switch
        {
            Errno.EEXIST when expected is not null =>
                $"the attached program is not the expected one (program id {expected.Id}); {device.Name} has {rtnl.GetLinkXdp(device.Index)}. " +
                "Nothing was changed: pass the program actually attached as 'expected', or detach it first.",
            Errno.EBUSY or Errno.EEXIST => AlreadyAttached(device, mode, rtnl),
            Errno.EOPNOTSUPP or Errno.ENOTSUPP or Errno.EINVAL when mode == XdpMode.Offload =>
                $"the driver of {device.Name} ({device.Kind ?? "no link kind"}) cannot offload XDP programs (only a few SmartNIC drivers can, " +
                "with a program loaded for that device): use XdpMode.Native or XdpMode.Skb.",
            Errno.EOPNOTSUPP or Errno.ENOTSUPP =>
                $"the driver of {device.Name} ({device.Kind ?? "no link kind"}) has no native XDP: use XdpMode.Skb (generic XDP), which every device supports.",
            Errno.EPERM => Capabilities.ExplainDenied("Attaching XDP", Capability.NetAdmin, Capability.Bpf),
            Errno.EINVAL => "the kernel refused the program or flags: it must be a BPF_PROG_TYPE_XDP program loaded without an expected attach type " +
                "(or with BPF_XDP); BPF_XDP_CPUMAP and BPF_XDP_DEVMAP programs run inside maps, not on devices.",
            _ => "see the kernel's answer below.",
        };
        return new XdpAttachException($"{what}: {why} The kernel: {inner.Message}", device.Index, device.Name, mode, errno, inner);
    }

    private static string AlreadyAttached(NetDeviceInfo device, XdpMode mode, RtNetlink rtnl)
    {
        var now = rtnl.GetLinkXdp(device.Index);
        if (!now.IsAttached)
            return $"{device.Name} refused a second program, but none is attached any more: retry.";
        if (mode is XdpMode.Skb or XdpMode.Native && now.ProgIdIn(mode) == 0)
            return $"native and generic XDP cannot be active together, and {device.Name} has {now}: detach it first, or attach in its mode.";
        return $"{device.Name} already has an XDP program ({now}). Detach it first (XdpAttachment.Detach, 'ip link set dev {device.Name} xdp off', " +
            "or close the BPF link that holds it), or swap it atomically with XdpAttachment.Replace(ifindex, newProg, expected: attachedProg).";
    }
}
