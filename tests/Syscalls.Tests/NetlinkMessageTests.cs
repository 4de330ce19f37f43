using System.Buffers.Binary;
using CpuMap.Managed.Syscalls.Netlink;

namespace CpuMap.Managed.Syscalls.Tests;

/// <summary>The message builder and attribute reader, on bytes only.</summary>
public class NetlinkMessageTests
{
    [Fact]
    public void Builder_writes_header_padded_attributes_and_nested_lengths()
    {
        var builder = new NetlinkMessageBuilder(RtmType.SetLink, NetlinkFlags.Ack);
        builder.Put(new IfInfoMsg { Index = 7 });
        builder.PutString(Ifla.IFLA_IFNAME, "ab");                   // 4 + 3 bytes, padded to 8
        var nest = builder.BeginNested(Ifla.IFLA_XDP);
        builder.PutS32(Ifla.IFLA_XDP_FD, -1);
        builder.PutU32(Ifla.IFLA_XDP_FLAGS, 2);
        builder.EndNested(nest);
        var bytes = builder.Finish(seq: 99).ToArray();

        Assert.Equal(16 + 16 + 8 + 4 + 8 + 8, bytes.Length);
        Assert.Equal((uint)bytes.Length, BinaryPrimitives.ReadUInt32LittleEndian(bytes));
        Assert.Equal((ushort)RtmType.SetLink, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(4)));
        Assert.Equal((ushort)(NetlinkFlags.Request | NetlinkFlags.Ack), BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(6)));
        Assert.Equal(99u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)));
        Assert.Equal(7, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(16 + 4)));
        Assert.Equal(7, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(32)));   // rta_len excludes the padding
        Assert.Equal(0, bytes[32 + 7]);                                                // NUL-terminated

        var reader = new NetlinkAttributeReader(bytes.AsSpan(32));
        Assert.True(reader.MoveNext());
        Assert.Equal((Ifla.IFLA_IFNAME, "ab"), (reader.Type, reader.String));
        Assert.True(reader.MoveNext());
        Assert.Equal(Ifla.IFLA_XDP, reader.Type);                                       // NLA_F_NESTED masked off
        Assert.Equal(16, reader.Payload.Length);                                        // two 8-byte attributes
        var inner = new NetlinkAttributeReader(reader.Payload);
        Assert.True(inner.MoveNext());
        Assert.Equal((Ifla.IFLA_XDP_FD, uint.MaxValue), (inner.Type, inner.U32));
        Assert.True(inner.MoveNext());
        Assert.Equal((Ifla.IFLA_XDP_FLAGS, 2u), (inner.Type, inner.U32));
        Assert.False(inner.MoveNext());
        Assert.False(reader.MoveNext());
    }

    [Theory]
    [InlineData(new byte[] { 8, 0, 1 })]                 // shorter than a header
    [InlineData(new byte[] { 3, 0, 1, 0 })]              // length below the header
    [InlineData(new byte[] { 12, 0, 1, 0, 1, 2, 3, 4 })] // length past the end
    public void Reader_stops_at_truncated_attributes(byte[] bytes)
    {
        var reader = new NetlinkAttributeReader(bytes);
        Assert.False(reader.MoveNext());
    }

    [Fact]
    public void Xdp_info_fills_the_per_mode_id_from_the_single_one()
    {
        var builder = new NetlinkMessageBuilder(RtmType.NewLink, NetlinkFlags.None);
        var start = builder.Finish(0).Length;
        builder.PutAttr(Ifla.IFLA_XDP_ATTACHED, [(byte)XdpAttached.Skb]);
        builder.PutU32(Ifla.IFLA_XDP_PROG_ID, 42);
        var info = XdpInfo.Parse(builder.Finish(0)[start..]);
        Assert.Equal(new XdpInfo(0, 42, 0), info);
        Assert.Equal(XdpMode.Skb, info.Mode);
        Assert.Equal(42u, info.ProgId);
        Assert.Equal("XDP skb program id 42", info.ToString());
        Assert.Equal("no XDP program", default(XdpInfo).ToString());
    }
}
