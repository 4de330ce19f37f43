using System.Net;
using System.Net.Sockets;
using CpuMap.Managed.Loader;
using CpuMap.Managed.Syscalls;
using CpuMap.Managed.Testing;
using CpuMap.Managed.Programs.Bytecode;
using CpuMap.Managed.Programs.Redirect;
using CpuMap.Managed.Programs.Traffic;

namespace CpuMap.Managed.Programs.Tests;

/// <summary>
/// The DSL flow-hash program beside its C twin (tests/fixtures/src/flow_hash.c, clang -O2, loaded by src/Loader): the
/// same frame must fall in the same bucket of the indirection table in both, so the hash and the parsing are checked
/// against an independent implementation, and the benchmark that compares them compares the same work.
/// </summary>
public sealed class FlowHashClangTwinTests
{
    private static readonly IPAddress V4A = IPAddress.Parse("192.0.2.10"), V4B = IPAddress.Parse("198.51.100.20");
    private static readonly IPAddress V6A = IPAddress.Parse("2001:db8::10"), V6B = IPAddress.Parse("2001:db8:ffff::20");

    private static IEnumerable<byte[]> Frames()
    {
        for (ushort port = 1000; port < 1064; port++)
            yield return EthernetFrame.Ip(V4A, port, V4B, 53);
        for (ushort port = 2000; port < 2016; port++)
        {
            yield return EthernetFrame.Ip(V6A, port, V6B, 443, ProtocolType.Tcp);
            yield return EthernetFrame.Ip(V4A, port, V4B, 443, ProtocolType.Tcp, vlanTags: [VlanTag.Dot1Q(100)]);
            yield return EthernetFrame.Ip(V6A, port, V6B, 53, vlanTags: [VlanTag.Dot1AD(10), VlanTag.Dot1Q(100)]);
            yield return EthernetFrame.Ip(V4A, port, V4B, 53, fragOff: 0x2000 | 185);
        }
        yield return EthernetFrame.Ip(V4A, 0, V4B, 0, ProtocolType.Icmp);
    }

    [Theory]
    [InlineData("clang14")]
    [InlineData("clang19")]
    public void Every_frame_falls_in_the_same_bucket_as_in_the_c_twin(string compiler)
    {
        Kernel.RequireBpf();
        var spec = BpfObjectSpec.Open(Path.Combine(AppContext.BaseDirectory, "fixtures", "obj", compiler, "flow_hash.o"));
        spec.Map("cpu_map").SetMaxEntriesToPossibleCpus();
        using var clang = spec.Load();
        var clangProgram = clang.GetProgram(FlowHashProgram.Name).Fd;
        var clangPackets = clang.GetMap(FlowHashProgram.BucketPacketsMap).Fd;
        using var dsl = FlowHashRedirect.Load(buckets: 128);
        var dslPackets = dsl.Table!.BucketPackets;

        var frames = 0;
        var buckets = new HashSet<int>();
        foreach (var frame in Frames())
        {
            var (dslBucket, clangBucket) = (Bucket(dsl.Program, dslPackets, frame), Bucket(clangProgram, clangPackets, frame));
            Assert.True(dslBucket == clangBucket, $"frame {frames} ({Convert.ToHexString(frame)}): DSL bucket {dslBucket}, {compiler} bucket {clangBucket}");
            buckets.Add(dslBucket);
            frames++;
        }
        // 129 frames in 128 buckets: a hash that ignored most of its input would fill a handful.
        Assert.True(buckets.Count > 40, $"{frames} frames fell in only {buckets.Count} buckets");
    }

    /// <summary>Runs <paramref name="program"/> once on <paramref name="frame"/> and returns the one bucket that counted it.</summary>
    private static int Bucket(ProgFd program, MapFd packets, byte[] frame)
    {
        var before = Sums(packets);
        Bpf.ProgTestRun(program, frame);
        var after = Sums(packets);
        var changed = Enumerable.Range(0, after.Length).Where(b => after[b] != before[b]).ToArray();
        Assert.True(changed.Length == 1 && after[changed[0]] == before[changed[0]] + 1, $"one bucket should count the frame; changed: {string.Join(',', changed)}");
        return changed[0];
    }

    /// <summary>Each bucket's count summed over the possible CPUs' 8-byte slots.</summary>
    private static ulong[] Sums(MapFd packets)
    {
        var buffer = new byte[packets.ValueBufferSize];
        var sums = new ulong[packets.MaxEntries];
        for (var b = 0u; b < sums.Length; b++)
        {
            Assert.True(Bpf.MapLookupElem(packets, BitConverter.GetBytes(b), buffer));
            for (var i = 0; i < CpuList.Possible.Count; i++)
                sums[b] += BitConverter.ToUInt64(buffer, 8 * i);
        }
        return sums;
    }
}
