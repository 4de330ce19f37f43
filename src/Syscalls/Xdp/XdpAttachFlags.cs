namespace CpuMap.Managed.Syscalls;

/// <summary>
/// XDP attach flags (kernel: XDP_FLAGS_* in linux/if_link.h), the flags of an XDP BPF_LINK_CREATE and of IFLA_XDP_FLAGS:
/// the wire encoding of an <see cref="XdpMode"/> (<see cref="Xdp.XdpModes.ToFlags"/>) and of the attach's conditions.
/// </summary>
[Flags]
internal enum XdpAttachFlags : uint
{
    /// <summary>Let the kernel choose: native (driver) mode when the driver has it, else generic.</summary>
    None = 0,
    UpdateIfNoexist = 1u << 0,
    SkbMode = 1u << 1,
    DrvMode = 1u << 2,
    HwMode = 1u << 3,
    Replace = 1u << 4,
}
