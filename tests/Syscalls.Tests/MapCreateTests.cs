using CpuMap.Managed.Testing;

namespace CpuMap.Managed.Syscalls.Tests;

public class MapCreateTests
{
    [Fact]
    public void Creates_a_map_with_name_flags_and_numa_node()
    {
        Kernel.RequireBpf();
        using var map = Bpf.MapCreate(BpfMapType.Hash, 4, 8, 16, BpfMapFlags.NoPrealloc, name: "test_hash.1", numaNode: 0);
        var info = Bpf.ObjGetInfoByFd(map);
        Assert.Equal(BpfMapType.Hash, info.Type);
        Assert.Equal((4u, 8u, 16u), (info.KeySize, info.ValueSize, info.MaxEntries));
        Assert.Equal(BpfMapFlags.NoPrealloc | BpfMapFlags.NumaNode, info.MapFlags);
        Assert.Equal("test_hash.1", info.Name.ToString());
        Assert.Equal((info.Id, "test_hash.1", 8u), (map.Id, map.Name, map.ValueBufferSize));
        Assert.True(map.Fd > 0);
    }

    [Fact]
    public void Creates_a_map_in_map_from_an_inner_map()
    {
        Kernel.RequireBpf();
        using var inner = Bpf.MapCreate(BpfMapType.Array, 4, 4, 1);
        using var outer = Bpf.MapCreate(BpfMapType.ArrayOfMaps, 4, 4, 2, innerMap: inner);
        Bpf.MapUpdateElem(outer, 0u, inner.Fd);
        Assert.True(Bpf.MapLookupElem(outer, 0u, out uint innerId));
        Assert.Equal(inner.Id, innerId);
    }

    [Fact]
    public void Passes_map_extra()
    {
        Kernel.RequireBpf();
        using var bloom = Bpf.MapCreate(BpfMapType.BloomFilter, 0, 8, 100, mapExtra: 3);
        Assert.Equal(3ul, Bpf.ObjGetInfoByFd(bloom).MapExtra);
    }

    [Fact]
    public void Per_cpu_maps_size_values_by_possible_cpus()
    {
        Kernel.RequireBpf();
        using var map = Bpf.MapCreate(BpfMapType.PercpuArray, 4, 4, 1);
        Assert.Equal((uint)(8 * CpuList.Possible.Count), map.ValueBufferSize);
    }

    [Fact]
    public void Kernel_refusals_name_the_cause()
    {
        Kernel.RequireBpf();
        var big = Assert.Throws<BpfException>(() => Bpf.MapCreate(BpfMapType.Cpumap, 4, 8, 100_000));
        Assert.Equal((BpfCommand.MapCreate, Errno.E2BIG), (big.Command, big.Errno));
        Assert.Contains("max_entries", big.Message);
        var invalid = Assert.Throws<BpfException>(() => Bpf.MapCreate(BpfMapType.Cpumap, 4, 12, 1));
        Assert.Equal(Errno.EINVAL, invalid.Errno);
        Assert.Contains("BPF_MAP_CREATE failed with EINVAL", invalid.Message);
        Assert.Contains("value_size", invalid.Message);
    }

    [Fact]
    public void Refuses_bad_arguments_before_the_call()
    {
        var unspec = Assert.Throws<ArgumentOutOfRangeException>(() => Bpf.MapCreate(BpfMapType.Unspec, 4, 4, 1));
        Assert.Equal("type", unspec.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => Bpf.MapCreate((BpfMapType)999, 4, 4, 1));
        var longName = Assert.Throws<ArgumentException>(() => Bpf.MapCreate(BpfMapType.Array, 4, 4, 1, name: "a_name_that_is_too_long"));
        Assert.Equal("name", longName.ParamName);
        Assert.Contains("at most 15", longName.Message);
        var badChar = Assert.Throws<ArgumentException>(() => Bpf.MapCreate(BpfMapType.Array, 4, 4, 1, name: "bad-name"));
        Assert.Contains("'-' at position 3", badChar.Message);
        var numa = Assert.Throws<ArgumentOutOfRangeException>(() => Bpf.MapCreate(BpfMapType.Array, 4, 4, 1, numaNode: -1));
        Assert.Equal("numaNode", numa.ParamName);
    }

    [Fact]
    public void Refuses_a_disposed_inner_map()
    {
        Kernel.RequireBpf();
        var inner = Bpf.MapCreate(BpfMapType.Array, 4, 4, 1);
        inner.Dispose();
        var e = Assert.Throws<ObjectDisposedException>(() => Bpf.MapCreate(BpfMapType.ArrayOfMaps, 4, 4, 1, innerMap: inner));
        Assert.Contains("'innerMap'", e.Message);
        Assert.Throws<ObjectDisposedException>(() => inner.Fd);
    }
}
