using CpuMap.Managed.Elf;
using CpuMap.Managed.Elf.Btf;
using CpuMap.Managed.Syscalls;

namespace CpuMap.Managed.Loader.Tests;

/// <summary>
/// The one kind of map created with BTF: a value holding bpf_spin_lock (or bpf_timer, a kptr...), which the kernel
/// accepts only with map BTF. Checked against the kernel's own map info and against libbpf's map for the same object.
/// </summary>
public sealed class MapBtfTests
{
    [Theory]
    [MemberData(nameof(Fixtures.EachCompiler), MemberType = typeof(Fixtures))]
    public void A_spin_lock_map_is_created_with_the_objects_btf_and_the_lock_works(string compiler)
    {
        Kernel.RequireBpf();
        var spec = Fixtures.Open(compiler, "spin_lock");
        var definition = spec.Object.GetMap("counters");
        Assert.Equal(["bpf_spin_lock"], BtfSpecialFields.Of(spec.Object.Btf!, definition.ValueTypeId));
        using var collection = spec.Load();

        var counters = collection.GetMap("counters");
        var info = Bpf.ObjGetInfoByFd(counters.Fd);
        Assert.NotEqual(0u, info.BtfId);
        Assert.Equal(definition.KeyTypeId, info.BtfKeyTypeId);
        Assert.Equal(definition.ValueTypeId, info.BtfValueTypeId);
        Assert.Equal(Bpf.ObjGetInfoByFd(collection.GetProgram("count_locked").Fd).BtfId, info.BtfId); // the programs' BTF, loaded once

        Assert.Equal(XdpAction.Pass, Bpf.ProgTestRun(collection.GetProgram("count_locked").Fd, LoadTests.Frame(64), repeat: 5).XdpAction);
        var value = new byte[16];
        Assert.True(Bpf.MapLookupElem(counters.Fd, new byte[4], value));
        Assert.Equal(5ul, BitConverter.ToUInt64(value, 8)); // frames, after the 4-byte lock and its padding

        // Every other map stays BTF-less.
        using var roundRobin = Fixtures.Open(compiler, "round_robin").Set<uint>("nr_cpus", 1).Load();
        Assert.All(roundRobin.Maps, map => Assert.Equal(0u, Bpf.ObjGetInfoByFd(map.Fd).BtfId));
    }

    [Theory]
    [MemberData(nameof(Fixtures.EachCompiler), MemberType = typeof(Fixtures))]
    public void The_map_btf_is_what_libbpf_gives_it(string compiler)
    {
        Kernel.RequireBpf();
        var bpftool = Kernel.RequireTool("bpftool");
        var path = Fixtures.PathOf(compiler, "spin_lock");
        using var collection = BpfObjectSpec.Open(path).Load();
        using var pins = new BpfFsFolder();
        Shell.Run(bpftool, "prog", "loadall", path, pins.Path, "pinmaps", pins.Path + "/maps");

        // bpftool formats each map's value from the BTF the kernel holds for it: the same struct, lock and all, for both.
        var ours = Shell.Run(bpftool, "map", "dump", "id", collection.GetMap("counters").Id.ToString());
        var libbpf = Shell.Run(bpftool, "map", "dump", "pinned", pins.Path + "/maps/counters");
        Assert.Equal(libbpf, ours);
        Assert.Contains("\"lock\"", ours);
        Assert.Contains("\"frames\"", ours);
    }

    [Fact]
    public void Objects_without_special_fields_find_none()
    {
        var spec = Fixtures.Open("clang19", "map_features");
        foreach (var map in spec.Object.Maps.Where(m => m.ValueTypeId != 0))
            Assert.Empty(BtfSpecialFields.Of(spec.Object.Btf!, map.ValueTypeId));
        Assert.Throws<ArgumentNullException>(() => BtfSpecialFields.Of(null!, 1));
    }
}
