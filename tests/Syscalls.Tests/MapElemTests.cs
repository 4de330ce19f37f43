using CpuMap.Managed.Testing;

namespace CpuMap.Managed.Syscalls.Tests;

public class MapElemTests
{
    [Fact]
    public void Hash_lookup_update_delete_and_walk()
    {
        Kernel.RequireBpf();
        using var map = Bpf.MapCreate(BpfMapType.Hash, 4, 8, 8);
        Assert.False(Bpf.MapLookupElem(map, 1u, out ulong _));
        Assert.False(Bpf.MapGetNextKey(map, out uint _));
        Bpf.MapUpdateElem(map, 1u, 100ul);
        Bpf.MapUpdateElem(map, 2u, 200ul, BpfUpdateFlags.NoExist);
        Bpf.MapUpdateElem(map, 2u, 201ul, BpfUpdateFlags.Exist);
        Assert.True(Bpf.MapLookupElem(map, 2u, out ulong value));
        Assert.Equal(201ul, value);

        var keys = new List<uint>();
        for (var more = Bpf.MapGetNextKey(map, out uint key); more; more = Bpf.MapGetNextKey(map, key, out key))
            keys.Add(key);
        Assert.Equal([1u, 2u], keys.Order());

        Assert.True(Bpf.MapDeleteElem(map, 1u));
        Assert.False(Bpf.MapDeleteElem(map, 1u));
        Assert.False(Bpf.MapLookupElem(map, 1u, out value));
        Assert.Equal(0ul, value);
    }

    [Fact]
    public void Update_flags_errors_are_explained()
    {
        Kernel.RequireBpf();
        using var hash = Bpf.MapCreate(BpfMapType.Hash, 4, 4, 1);
        Bpf.MapUpdateElem(hash, 1u, 1u);
        var exists = Assert.Throws<BpfException>(() => Bpf.MapUpdateElem(hash, 1u, 1u, BpfUpdateFlags.NoExist));
        Assert.Equal((BpfCommand.MapUpdateElem, Errno.EEXIST), (exists.Command, exists.Errno));
        Assert.Contains("BPF_NOEXIST", exists.Message);
        var missing = Assert.Throws<BpfException>(() => Bpf.MapUpdateElem(hash, 2u, 1u, BpfUpdateFlags.Exist));
        Assert.Equal(Errno.ENOENT, missing.Errno);
        Assert.Contains("BPF_EXIST", missing.Message);
        var full = Assert.Throws<BpfException>(() => Bpf.MapUpdateElem(hash, 2u, 1u));
        Assert.Equal(Errno.E2BIG, full.Errno);
        Assert.Contains("full", full.Message);
        var flags = Assert.Throws<BpfException>(() => Bpf.MapUpdateElem(hash, 1u, 1u, (BpfUpdateFlags)8));
        Assert.Equal(Errno.EINVAL, flags.Errno);
    }

    [Fact]
    public void Array_answers_as_arrays_do()
    {
        Kernel.RequireBpf();
        using var array = Bpf.MapCreate(BpfMapType.Array, 4, 4, 2);
        Assert.True(Bpf.MapLookupElem(array, 1u, out uint zero));
        Assert.Equal(0u, zero);
        var noexist = Assert.Throws<BpfException>(() => Bpf.MapUpdateElem(array, 0u, 1u, BpfUpdateFlags.NoExist));
        Assert.Contains("array-like maps", noexist.Message);
        var outOfRange = Assert.Throws<BpfException>(() => Bpf.MapUpdateElem(array, 2u, 1u));
        Assert.Equal(Errno.E2BIG, outOfRange.Errno);
        Assert.Contains("max_entries", outOfRange.Message);
        var delete = Assert.Throws<BpfException>(() => Bpf.MapDeleteElem(array, 0u));
        Assert.Equal((BpfCommand.MapDeleteElem, Errno.EINVAL), (delete.Command, delete.Errno));
    }

    [Fact]
    public void Span_overloads_serve_per_cpu_values()
    {
        Kernel.RequireBpf();
        using var map = Bpf.MapCreate(BpfMapType.PercpuArray, 4, 4, 2);
        var size = (int)map.ValueBufferSize;
        var values = new byte[size];
        for (var cpu = 0; cpu < CpuList.Possible.Count; cpu++)
            values[cpu * 8] = (byte)(cpu + 7);
        Span<byte> key = [1, 0, 0, 0];
        Bpf.MapUpdateElem(map, key, values);
        var read = new byte[size];
        Assert.True(Bpf.MapLookupElem(map, key, read));
        Assert.Equal(values, read);

        Span<byte> next = stackalloc byte[4];
        Assert.True(Bpf.MapGetNextKey(map, [], next));
        Assert.Equal(0, next[0]);
        Assert.True(Bpf.MapGetNextKey(map, next.ToArray(), next));
        Assert.Equal(1, next[0]);
        Assert.False(Bpf.MapGetNextKey(map, next.ToArray(), next));
    }

    [Fact]
    public void Span_delete_on_hash()
    {
        Kernel.RequireBpf();
        using var map = Bpf.MapCreate(BpfMapType.Hash, 2, 2, 4);
        Bpf.MapUpdateElem(map, [1, 2], [3, 4]);
        Assert.True(Bpf.MapDeleteElem(map, [1, 2]));
        Assert.False(Bpf.MapDeleteElem(map, [1, 2]));
    }

    [Fact]
    public void Sizes_that_differ_from_the_map_are_refused_before_the_kernel_touches_memory()
    {
        Kernel.RequireBpf();
        using var percpu = Bpf.MapCreate(BpfMapType.PercpuArray, 4, 4, 1, name: "pcpu");
        var value = Assert.Throws<ArgumentException>(() => Bpf.MapLookupElem(percpu, 0u, out uint _));
        Assert.Equal("TValue", value.ParamName);
        Assert.Contains("PERCPU_ARRAY map 'pcpu'", value.Message);
        Assert.Contains($"times {CpuList.Possible.Count} possible CPUs", value.Message);
        var key = Assert.Throws<ArgumentException>(() => Bpf.MapDeleteElem(percpu, 0ul));
        Assert.Equal("TKey", key.ParamName);
        Assert.Contains("key of 4 bytes", key.Message);
        Assert.Throws<ArgumentException>(() => Bpf.MapUpdateElem(percpu, new byte[4], new byte[4]));
        Assert.Throws<ArgumentException>(() => Bpf.MapLookupElem(percpu, new byte[3], new byte[percpu.ValueBufferSize]));
        Assert.Throws<ArgumentException>(() => Bpf.MapGetNextKey(percpu, [], new byte[8]));
        Assert.Throws<ArgumentException>(() => Bpf.MapGetNextKey(percpu, 0ul, out ulong _));
    }

    [Fact]
    public void Disposed_and_null_maps_are_named()
    {
        Kernel.RequireBpf();
        var map = Bpf.MapCreate(BpfMapType.Array, 4, 4, 1);
        map.Dispose();
        var e = Assert.Throws<ObjectDisposedException>(() => Bpf.MapUpdateElem(map, 0u, 1u));
        Assert.Contains("'map'", e.Message);
        Assert.Contains("disposed", e.Message);
        Assert.Throws<ObjectDisposedException>(() => Bpf.MapLookupElem(map, 0u, out uint _));
        Assert.Throws<ObjectDisposedException>(() => Bpf.MapDeleteElem(map, new byte[4]));
        Assert.Throws<ObjectDisposedException>(() => Bpf.MapFreeze(map));
        Assert.Throws<ArgumentNullException>(() => Bpf.MapLookupElem(null!, 0u, out uint _));
        map.Dispose(); // twice is harmless
    }

    [Fact]
    public void Freeze_makes_the_map_read_only_for_user_space()
    {
        Kernel.RequireBpf();
        using var map = Bpf.MapCreate(BpfMapType.Array, 4, 4, 1);
        Bpf.MapUpdateElem(map, 0u, 5u);
        Bpf.MapFreeze(map);
        var e = Assert.Throws<BpfException>(() => Bpf.MapUpdateElem(map, 0u, 6u));
        Assert.Equal(Errno.EPERM, e.Errno);
        Assert.Contains("BPF_MAP_FREEZE", e.Message);
        Assert.True(Bpf.MapLookupElem(map, 0u, out uint value));
        Assert.Equal(5u, value);
        var again = Assert.Throws<BpfException>(() => Bpf.MapFreeze(map));
        Assert.Equal((BpfCommand.MapFreeze, Errno.EPERM), (again.Command, again.Errno));
        Assert.Contains("already frozen", again.Message);
    }
}
