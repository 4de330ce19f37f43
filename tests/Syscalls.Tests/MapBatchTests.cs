using CpuMap.Managed.Testing;

namespace CpuMap.Managed.Syscalls.Tests;

public class MapBatchTests
{
    [Fact]
    public void Update_lookup_and_delete_in_batches()
    {
        Kernel.RequireBpf();
        using var map = Bpf.MapCreate(BpfMapType.Hash, 4, 8, 64);
        var keys = Enumerable.Range(1, 40).Select(i => (uint)i).ToArray();
        var values = keys.Select(k => k * 10ul).ToArray();
        Bpf.MapUpdateBatch<uint, ulong>(map, keys, values);

        var seen = new Dictionary<uint, ulong>();
        var cursor = new MapBatchCursor();
        Span<uint> k = stackalloc uint[16];
        Span<ulong> v = stackalloc ulong[16];
        var batches = 0;
        while (!cursor.Done)
        {
            var n = Bpf.MapLookupBatch(map, ref cursor, k, v);
            for (var i = 0; i < n; i++)
                seen.Add(k[i], v[i]);
            batches++;
        }
        Assert.Equal(keys.Length, seen.Count);
        Assert.All(keys, key => Assert.Equal(key * 10ul, seen[key]));
        Assert.True(batches >= 3);
        Assert.Equal(0, Bpf.MapLookupBatch(map, ref cursor, k, v));

        Bpf.MapDeleteBatch<uint>(map, keys.AsSpan(0, 20));
        Assert.False(Bpf.MapLookupElem(map, 1u, out ulong _));
        Assert.True(Bpf.MapLookupElem(map, 21u, out ulong _));
        var e = Assert.Throws<BpfException>(() => Bpf.MapDeleteBatch<uint>(map, [21u, 1u, 22u]));
        Assert.Equal((BpfCommand.MapDeleteBatch, Errno.ENOENT), (e.Command, e.Errno));
        Assert.Contains("processed 1 of 3", e.Message);
    }

    [Fact]
    public void Update_batch_errors_say_how_far_it_got()
    {
        Kernel.RequireBpf();
        using var array = Bpf.MapCreate(BpfMapType.Array, 4, 4, 2);
        var e = Assert.Throws<BpfException>(() => Bpf.MapUpdateBatch<uint, uint>(array, [0u, 1u, 5u], [1u, 2u, 3u]));
        Assert.Equal((BpfCommand.MapUpdateBatch, Errno.E2BIG), (e.Command, e.Errno));
        Assert.Contains("processed 2 of 3", e.Message);
    }

    [Fact]
    public void Refuses_bad_spans()
    {
        Kernel.RequireBpf();
        using var map = Bpf.MapCreate(BpfMapType.Hash, 4, 4, 4);
        var lengths = Assert.Throws<ArgumentException>(() => Bpf.MapUpdateBatch<uint, uint>(map, [1u, 2u], [1u]));
        Assert.Contains("keys holds 2 elements but values holds 1", lengths.Message);
        var cursor = new MapBatchCursor();
        var empty = Assert.Throws<ArgumentException>(() => Bpf.MapLookupBatch<uint, uint>(map, ref cursor, [], []));
        Assert.Contains("at least one element", empty.Message);
        Assert.Throws<ArgumentException>(() => Bpf.MapDeleteBatch<ulong>(map, [1ul]));
        Bpf.MapUpdateBatch<uint, uint>(map, [], []); // nothing to do is not an error
    }

    [Fact]
    public void Map_types_without_batches_are_explained()
    {
        Kernel.RequireBpf();
        using var cpumap = Bpf.MapCreate(BpfMapType.Cpumap, 4, 8, 1);
        var cursor = new MapBatchCursor();
        var e = Assert.Throws<BpfException>(() => Bpf.MapLookupBatch(cpumap, ref cursor, new uint[1].AsSpan(), new ulong[1].AsSpan()));
        Assert.Equal(BpfCommand.MapLookupBatch, e.Command);
        Assert.Contains("not support", e.Message);
    }
}
