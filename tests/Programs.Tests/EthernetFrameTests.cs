using CpuMap.Managed.Programs.Traffic;
namespace CpuMap.Managed.Programs.Tests;

public sealed class EthernetFrameTests
{
    [Fact]
    public void Frames_are_valid_udp_over_ipv4()
    {
        var frame = EthernetFrame.Udp(sourcePort: 4242, payloadLength: 100);
        Assert.Equal(EthernetFrame.HeadersLength + 100, frame.Length);
        Assert.Equal(new byte[] { 0x08, 0x00 }, frame[12..14]);
        // The IPv4 header's ones' complement sum, checksum included, is 0xffff.
        uint sum = 0;
        for (var i = 14; i < 34; i += 2)
            sum += (uint)(frame[i] << 8 | frame[i + 1]);
        while (sum > 0xffff)
            sum = (sum & 0xffff) + (sum >> 16);
        Assert.Equal(0xffffu, sum);
        Assert.Equal(4242, frame[34] << 8 | frame[35]);
        Assert.Equal(EthernetFrame.MinimumLength, EthernetFrame.Udp().Length);
        Assert.Equal("payloadLength", Assert.Throws<ArgumentOutOfRangeException>(() => EthernetFrame.Udp(payloadLength: -1)).ParamName);
        Assert.Equal("payloadLength", Assert.Throws<ArgumentOutOfRangeException>(() => EthernetFrame.Udp(payloadLength: 1473)).ParamName);
    }
}

public sealed class EthernetFrameShapesTests
{
    private static readonly System.Net.IPAddress V4 = System.Net.IPAddress.Parse("192.0.2.1"), V6 = System.Net.IPAddress.Parse("2001:db8::1");

    [Theory]
    [InlineData(false, System.Net.Sockets.ProtocolType.Udp, 0)]
    [InlineData(false, System.Net.Sockets.ProtocolType.Tcp, 1)]
    [InlineData(true, System.Net.Sockets.ProtocolType.Udp, 2)]
    [InlineData(true, System.Net.Sockets.ProtocolType.Tcp, 0)]
    public void Frames_carry_their_tags_headers_and_valid_transport_checksums(bool ipv6, System.Net.Sockets.ProtocolType protocol, int tags)
    {
        VlanTag[] vlan = tags switch { 0 => [], 1 => [VlanTag.Dot1Q(42)], _ => [VlanTag.Dot1AD(7), VlanTag.Dot1Q(42)] };
        var frame = EthernetFrame.Ip(ipv6 ? V6 : V4, 1234, ipv6 ? V6 : V4, 80, protocol, 10, vlan);
        var l3 = 14 + 4 * tags;
        for (var i = 0; i < tags; i++)
            Assert.Equal(vlan[i].Tpid, frame[12 + 4 * i] << 8 | frame[13 + 4 * i]);
        Assert.Equal(ipv6 ? 0x86DD : 0x0800, frame[l3 - 2] << 8 | frame[l3 - 1]);
        var ipHeader = ipv6 ? 40 : 20;
        var l4Length = (protocol == System.Net.Sockets.ProtocolType.Tcp ? 20 : 8) + 10;
        Assert.Equal(1234, frame[l3 + ipHeader] << 8 | frame[l3 + ipHeader + 1]);
        // The transport checksum verifies: pseudo-header + segment sums to 0xffff.
        uint sum = (uint)protocol + (uint)l4Length;
        var addresses = ipv6 ? frame.AsSpan(l3 + 8, 32) : frame.AsSpan(l3 + 12, 8);
        for (var i = 0; i < addresses.Length; i += 2)
            sum += (uint)(addresses[i] << 8 | addresses[i + 1]);
        for (var i = 0; i < l4Length; i += 2)
            sum += (uint)(frame[l3 + ipHeader + i] << 8 | frame[l3 + ipHeader + i + 1]);
        while (sum > 0xffff)
            sum = (sum & 0xffff) + (sum >> 16);
        Assert.Equal(0xffffu, sum);
    }

    [Fact]
    public void Bad_frame_inputs_name_the_input()
    {
        Assert.Equal("source", Assert.Throws<ArgumentNullException>(() => EthernetFrame.Ip(null!, 1, V4, 2)).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentNullException>(() => EthernetFrame.Ip(V4, 1, null!, 2)).ParamName);
        var mixed = Assert.Throws<ArgumentException>(() => EthernetFrame.Ip(V4, 1, V6, 2));
        Assert.Equal("destination", mixed.ParamName);
        Assert.Contains("same family", mixed.Message);
        Assert.Equal("fragOff", Assert.Throws<ArgumentException>(() => EthernetFrame.Ip(V6, 1, V6, 2, fragOff: 1)).ParamName);
        Assert.Equal("payloadLength", Assert.Throws<ArgumentOutOfRangeException>(() => EthernetFrame.Ip(V6, 1, V6, 2, System.Net.Sockets.ProtocolType.Tcp, 1441)).ParamName);
        Assert.Equal(14 + 40 + 20 + 1440, EthernetFrame.Ip(V6, 1, V6, 2, System.Net.Sockets.ProtocolType.Tcp, 1440).Length);
        Assert.Equal("protocol", Assert.Throws<ArgumentOutOfRangeException>(() => EthernetFrame.Ip(V4, 1, V4, 2, (System.Net.Sockets.ProtocolType)256)).ParamName);
        Assert.Equal("etherType", Assert.Throws<ArgumentOutOfRangeException>(() => EthernetFrame.NonIp(EthernetFrame.EthPIp)).ParamName);
        Assert.Equal("etherType", Assert.Throws<ArgumentOutOfRangeException>(() => EthernetFrame.NonIp(VlanTag.EthP8021Q)).ParamName);
        Assert.Equal("etherType", Assert.Throws<ArgumentOutOfRangeException>(() => EthernetFrame.NonIp(0x05DC)).ParamName);
        Assert.Equal("tpid", Assert.Throws<ArgumentOutOfRangeException>(() => new VlanTag(0x0800, 1)).ParamName);
        Assert.Equal("id", Assert.Throws<ArgumentOutOfRangeException>(() => VlanTag.Dot1Q(4096)).ParamName);
        Assert.Equal(0x0806, EthernetFrame.NonIp()[12] << 8 | EthernetFrame.NonIp()[13]);
    }
}
