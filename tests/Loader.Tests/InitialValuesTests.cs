using CpuMap.Managed.Syscalls;

namespace CpuMap.Managed.Loader.Tests;

/// <summary>`.values = { ... }` of a program array and of a map-in-map are written at load.</summary>
public sealed class InitialValuesTests
{
    [Theory]
    [MemberData(nameof(Fixtures.EachCompiler), MemberType = typeof(Fixtures))]
    public void Slots_hold_the_named_maps_and_programs(string compiler)
    {
        Kernel.RequireBpf();
        using var collection = Fixtures.Open(compiler, "map_features").Load();
        var outer = collection.GetMap("outer_array").Fd;
        var jumps = collection.GetMap("jump_table").Fd;

        // User-space lookups of fd arrays answer with the id of what the slot holds.
        Assert.True(Bpf.MapLookupElem(outer, 0u, out uint first));
        Assert.Equal(collection.GetMap("inner_a").Id, first);
        Assert.True(Bpf.MapLookupElem(outer, 3u, out uint fourth));
        Assert.Equal(collection.GetMap("inner_b").Id, fourth);
        Assert.False(Bpf.MapLookupElem(outer, 1u, out uint _));
        Assert.True(Bpf.MapLookupElem(jumps, 0u, out uint tail0));
        Assert.Equal(collection.GetProgram("tail_first").Id, tail0);
        Assert.True(Bpf.MapLookupElem(jumps, 2u, out uint tail2));
        Assert.Equal(collection.GetProgram("tail_second").Id, tail2);
    }

    [Theory]
    [MemberData(nameof(Fixtures.EachCompiler), MemberType = typeof(Fixtures))]
    public void The_program_reaches_the_inner_map_through_the_outer_one(string compiler)
    {
        Kernel.RequireBpf();
        using var collection = Fixtures.Open(compiler, "map_features").Load();
        var dispatch = collection.GetProgram("xdp_dispatch").Fd;

        Assert.Equal(XdpAction.Pass, Bpf.ProgTestRun(dispatch, LoadTests.Frame(64)).XdpAction);
        Bpf.MapUpdateElem(collection.GetMap("inner_a").Fd, 0u, 1u);
        Assert.Equal(XdpAction.Drop, Bpf.ProgTestRun(dispatch, LoadTests.Frame(64)).XdpAction);
    }
}
