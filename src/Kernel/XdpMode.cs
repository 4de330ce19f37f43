namespace CpuMap.Managed;

/// <summary>Where an XDP program runs on a device (the XDP_FLAGS_*_MODE flags).</summary>
public enum XdpMode
{
    /// <summary>No mode flag: the kernel picks native when the driver has it, else generic.</summary>
    Auto,
    /// <summary>Generic XDP (XDP_FLAGS_SKB_MODE): works on every device, after the skb is built; slower.</summary>
    Skb,
    /// <summary>Native XDP (XDP_FLAGS_DRV_MODE): in the driver, before the skb; needs driver support (veth has it).</summary>
    Native,
    /// <summary>Offloaded to the NIC (XDP_FLAGS_HW_MODE): only a few SmartNICs.</summary>
    Offload,
}
