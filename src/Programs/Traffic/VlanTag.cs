namespace CpuMap.Managed.Programs.Traffic;

/// <summary>
/// One VLAN tag of an Ethernet frame: the tag protocol identifier (TPID: 0x8100 for 802.1Q, 0x88A8
/// for the 802.1ad service tag of QinQ) and the 12-bit VLAN id, priority 0.
/// </summary>
public readonly record struct VlanTag
{
    /// <summary>ETH_P_8021Q.</summary>
    public const ushort EthP8021Q = 0x8100;

    /// <summary>ETH_P_8021AD.</summary>
    public const ushort EthP8021AD = 0x88A8;

    /// <summary>A tag with TPID <paramref name="tpid"/> (0x8100 or 0x88A8) and VLAN id <paramref name="id"/> (0..4095).</summary>
    public VlanTag(ushort tpid, ushort id)
    {
        if (tpid is not (EthP8021Q or EthP8021AD))
            throw new ArgumentOutOfRangeException(nameof(tpid), $"0x{tpid:X4}",
                "A VLAN tag's TPID is 0x8100 (802.1Q) or 0x88A8 (802.1ad); use VlanTag.Dot1Q or VlanTag.Dot1AD.");
        if (id > 4095)
            throw new ArgumentOutOfRangeException(nameof(id), id, "A VLAN id is 12 bits: 0 to 4095.");
        Tpid = tpid;
        Id = id;
    }

    /// <summary>The tag protocol identifier.</summary>
    public ushort Tpid { get; }

    /// <summary>The VLAN id.</summary>
    public ushort Id { get; }

    /// <summary>An 802.1Q customer tag.</summary>
    public static VlanTag Dot1Q(ushort id) => new(EthP8021Q, id);

    /// <summary>An 802.1ad service tag (the outer tag of QinQ).</summary>
    public static VlanTag Dot1AD(ushort id) => new(EthP8021AD, id);
}
