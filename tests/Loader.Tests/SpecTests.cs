using CpuMap.Managed.Elf;
using CpuMap.Managed.Syscalls;

namespace CpuMap.Managed.Loader.Tests;

/// <summary>
/// Configuring an object between open and load, as libbpf users do: sizes left to user space (xdp-bench's style),
/// programs picked or typed, maps shared by fd, by pin and by name. Every value is read back from the kernel.
/// </summary>
public sealed class SpecTests
{
    private static BpfObjectSpec XdpBench(string compiler) => Fixtures.Open(compiler, "xdp_bench_cpumap");

    [Theory]
    [MemberData(nameof(Fixtures.EachCompiler), MemberType = typeof(Fixtures))]
    public void A_map_left_at_max_entries_0_is_refused_naming_it_and_how_to_size_it(string compiler)
    {
        Kernel.RequireBpf();
        var spec = XdpBench(compiler);
        Assert.Equal(["cpu_map", "cpus_available", "rx_cnt"], spec.Maps.Where(m => m.IsSizedByUserSpace).Select(m => m.Name).Order());
        Assert.Equal(3, spec.Unset().Count);
        Assert.Contains(spec.Unset(), line => line.StartsWith("map 'cpu_map': max_entries is 0", StringComparison.Ordinal));

        var e = Assert.Throws<BpfLoadException>(() => spec.Load());
        Assert.Equal("cpu_map", e.MapName);
        Assert.Contains("max_entries is 0: the object leaves this map's size to user space", e.Message);
        Assert.Contains("spec.Map(\"cpu_map\").MaxEntries = N or .SetMaxEntriesToPossibleCpus()", e.Message);
        Assert.DoesNotContain("--max-entries", e.Message);   // the library speaks code; the cpumap tool adds its flag
        Assert.Null(e.Errno); // refused before the kernel was asked
    }

    [Theory]
    [MemberData(nameof(Fixtures.EachCompiler), MemberType = typeof(Fixtures))]
    public void An_xdp_bench_style_object_loads_once_sized_with_only_the_programs_picked(string compiler)
    {
        Kernel.RequireBpf();
        var spec = XdpBench(compiler);
        foreach (var map in spec.Maps.Where(m => m.IsSizedByUserSpace))
            map.SetMaxEntriesToPossibleCpus();
        spec.Variables.Set("nr_cpus", CpuList.Possible.Count);
        spec.LoadOnly("cpumap_round_robin", "cpumap_pass");
        Assert.Empty(spec.Unset());

        using var collection = spec.Load();
        Assert.Equal(["cpumap_round_robin", "cpumap_pass"], collection.Programs.Select(p => p.Name));
        Assert.Throws<KeyNotFoundException>(() => collection.GetProgram("cpumap_drop"));
        var slots = (uint)CpuList.Possible.Max() + 1;
        foreach (var name in new[] { "cpu_map", "cpus_available", "rx_cnt" })
            Assert.Equal(slots, Bpf.ObjGetInfoByFd(collection.GetMap(name).Fd).MaxEntries);
        Assert.Equal(1u, Bpf.ObjGetInfoByFd(collection.GetMap("cpus_count").Fd).MaxEntries);
        Assert.Equal(BpfAttachType.XdpCpumap, Assert.Single(collection.Programs, p => p.Name == "cpumap_pass").Section.ExpectedAttachType);
    }

    [Theory]
    [MemberData(nameof(Fixtures.EachCompiler), MemberType = typeof(Fixtures))]
    public void Programs_in_sections_that_do_not_tell_their_type_load_with_the_type_given(string compiler)
    {
        Kernel.RequireBpf();
        var spec = Fixtures.Open(compiler, "socket_filters");
        Assert.All(spec.Programs, p => Assert.Null(p.Section));
        var refused = Assert.Throws<BpfLoadException>(() => spec.Load());
        Assert.Contains("section 'filter' is not a program section this loader knows", refused.Message);
        Assert.Contains("spec.Program(\"hashfilter\").SetType(...), e.g. with BpfProgType.Xdp or BpfProgType.SocketFilter", refused.Message);

        spec.Program("hashfilter").SetType(BpfProgType.SocketFilter);
        spec.Program("lb").SetType(BpfProgType.SocketFilter);
        spec.Program("xdp_vlan_pass").SetType(BpfProgType.Xdp, BpfAttachType.Xdp);
        using var collection = spec.Load();
        Assert.Equal(BpfProgType.SocketFilter, Bpf.ObjGetInfoByFd(collection.GetProgram("hashfilter").Fd).Type);
        Assert.Equal(BpfProgType.SocketFilter, Bpf.ObjGetInfoByFd(collection.GetProgram("lb").Fd).Type);
        Assert.Equal(BpfProgType.Xdp, Bpf.ObjGetInfoByFd(collection.GetProgram("xdp_vlan_pass").Fd).Type);
        Assert.Equal(XdpAction.Pass, Bpf.ProgTestRun(collection.GetProgram("xdp_vlan_pass").Fd, new byte[64]).XdpAction);
    }

    [Fact]
    public void A_program_switched_off_is_not_loaded_and_unknown_names_list_the_right_ones()
    {
        Kernel.RequireBpf();
        var spec = XdpBench("clang19");
        foreach (var sized in spec.Maps.Where(m => m.IsSizedByUserSpace))
            sized.MaxEntries = 4;
        spec.Program("cpumap_l4_hash").Autoload = false;
        using var collection = spec.Load();
        Assert.DoesNotContain(collection.Programs, p => p.Name == "cpumap_l4_hash");
        Assert.Equal(4, collection.Programs.Count);

        var map = Assert.Throws<ArgumentException>(() => spec.Map("cpumap"));
        Assert.StartsWith("xdp_bench_cpumap.o has no map named 'cpumap'; its maps are: ", map.Message);
        Assert.All(spec.Maps, m => Assert.Contains(m.Name, map.Message));
        var program = Assert.Throws<ArgumentException>(() => spec.LoadOnly("cpumap_rr"));
        Assert.Contains("has no entry program named 'cpumap_rr'; its programs are: ", program.Message);
        Assert.All(spec.Programs, p => Assert.Contains(p.Name, program.Message));
    }

    [Fact]
    public void A_map_reused_by_fd_is_the_same_kernel_map_and_an_incompatible_one_is_refused_naming_each_difference()
    {
        Kernel.RequireBpf();
        using var shared = Bpf.MapCreate(BpfMapType.Array, 4, 4, 8, name: "shared");
        var spec = XdpBench("clang19");
        spec.Map("cpus_available").Reuse(shared);
        Assert.Equal(8u, spec.Map("cpus_available").MaxEntries); // a map left at 0 takes the reused one's size
        spec.Map("cpu_map").MaxEntries = 2;
        spec.Map("rx_cnt").MaxEntries = 2;
        using (var collection = spec.Load())
        {
            var reused = collection.GetMap("cpus_available");
            Assert.True(reused.Reused);
            Assert.Equal(shared.Id, Bpf.ObjGetInfoByFd(reused.Fd).Id);
            Assert.NotEqual(shared.Fd, reused.Fd.Fd); // the collection holds its own fd
        }
        Assert.False(shared.IsClosed); // the caller's fd outlives the collection
        Bpf.MapUpdateElem(shared, BitConverter.GetBytes(0u), BitConverter.GetBytes(1u));

        using var other = Bpf.MapCreate(BpfMapType.Hash, 4, 8, 16);
        var e = Assert.Throws<BpfLoadException>(() => XdpBench("clang19").Map("cpus_available").Reuse(other));
        Assert.Contains("cannot stand in for it: type BPF_MAP_TYPE_HASH where the object wants BPF_MAP_TYPE_ARRAY; value_size 8 where the object wants 4.", e.Message);
        var sized = XdpBench("clang19").Map("cpus_count");
        var size = Assert.Throws<BpfLoadException>(() => sized.Reuse(shared));
        Assert.Contains("max_entries 8 where the object wants 1", size.Message);
    }

    [Fact]
    public void A_pinned_map_is_reused_by_path_and_pins_by_name_are_made_then_shared()
    {
        Kernel.RequireBpf();
        using var bpffs = new BpfFsFolder();
        Directory.CreateDirectory(bpffs.Path);
        using var pinned = Bpf.MapCreate(BpfMapType.Array, 4, 4, 1);
        var pinPath = Path.Combine(bpffs.Path, "count");
        Bpf.ObjPin(pinned, pinPath);

        var spec = XdpBench("clang19");
        foreach (var map in spec.Maps.Where(m => m.IsSizedByUserSpace))
            map.MaxEntries = 2;
        spec.Map("cpus_count").ReusePinned(pinPath);
        Assert.Equal(pinPath, spec.Map("cpus_count").ReusedPin);
        using (var collection = spec.Load())
            Assert.Equal(pinned.Id, Bpf.ObjGetInfoByFd(collection.GetMap("cpus_count").Fd).Id);
        var missing = Assert.Throws<BpfLoadException>(() => XdpBench("clang19").Map("cpus_count").ReusePinned(pinPath + "x"));
        Assert.Contains($"no map to reuse at '{pinPath}x'", missing.Message);

        // LIBBPF_PIN_BY_NAME (map_features' sized_hash): the first load pins it under the pin root, the second shares it.
        var root = Path.Combine(bpffs.Path, "by-name");
        BpfObjectSpec ByName()
        {
            var byName = Fixtures.Open("clang19", "map_features");
            byName.Map("sized_hash").PinByName = true;
            return byName;
        }
        uint id;
        using (var first = ByName().Load(new BpfLoadOptions { PinRoot = root }))
        {
            var map = first.GetMap("sized_hash");
            Assert.Equal(Path.Combine(root, "sized_hash"), map.PinnedByName);
            Assert.False(map.Reused);
            id = map.Id;
            first.Unpin();
        }
        Assert.True(File.Exists(Path.Combine(root, "sized_hash"))); // shared: neither Unpin nor Dispose removes it
        using (var second = ByName().Load(new BpfLoadOptions { PinRoot = root }))
        {
            Assert.True(second.GetMap("sized_hash").Reused);
            Assert.Equal(id, second.GetMap("sized_hash").Id);
        }

        // A pin of another shape under that name is not used: the load fails, naming the difference.
        File.Delete(Path.Combine(root, "sized_hash"));
        using (var stale = Bpf.MapCreate(BpfMapType.Hash, 8, 16, 128, BpfMapFlags.NoPrealloc))
            Bpf.ObjPin(stale, Path.Combine(root, "sized_hash"));
        var incompatible = Assert.Throws<BpfLoadException>(() => ByName().Load(new BpfLoadOptions { PinRoot = root }));
        Assert.Equal("sized_hash", incompatible.MapName);
        Assert.Contains("LIBBPF_PIN_BY_NAME", incompatible.Message);
        Assert.Contains("max_entries 128 where the object wants 256", incompatible.Message);
    }

    [Fact]
    public void Bad_values_are_refused_by_name()
    {
        var spec = XdpBench("clang19");
        Assert.Equal("name", Assert.Throws<ArgumentNullException>(() => spec.Map(null!)).ParamName);
        Assert.Equal("type", Assert.Throws<ArgumentOutOfRangeException>(() => spec.Program("cpumap_pass").SetType(BpfProgType.Unspec)).ParamName);
        Assert.Equal("type", Assert.Throws<ArgumentOutOfRangeException>(() => spec.Program("cpumap_pass").SetType((BpfProgType)999)).ParamName);
        Assert.Equal("expectedAttachType", Assert.Throws<ArgumentOutOfRangeException>(() => spec.Program("cpumap_pass").SetType(BpfProgType.Xdp, (BpfAttachType)999)).ParamName);
        Assert.Equal("map", Assert.Throws<ArgumentNullException>(() => spec.Map("cpu_map").Reuse(null!)).ParamName);
        Assert.Equal("path", Assert.ThrowsAny<ArgumentException>(() => spec.Map("cpu_map").ReusePinned("")).ParamName);
        var closed = Bpf.MapCreate(BpfMapType.Array, 4, 4, 1);
        closed.Dispose();
        Assert.Throws<ObjectDisposedException>(() => spec.Map("cpus_available").Reuse(closed));
    }
}
