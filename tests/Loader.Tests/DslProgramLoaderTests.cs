using BpfAsm;
using CpuMap.Managed.Syscalls;
using static BpfAsm.Register;

namespace CpuMap.Managed.Loader.Tests;

public sealed class DslProgramLoaderTests
{
    // Returns the u32 in slot 0 of the map "verdict" as the XDP action.
    private static BpfAsm.BpfProgram VerdictProgram()
    {
        var p = new ProgramBuilder("xdp_verdict_from_map");
        p.Store(Mem.U32(R10, -4), 0);
        p.Mov(R2, R10).Add(R2, -4);
        p.LoadMapFd(R1, "verdict");
        p.Call(BpfHelper.MapLookupElem);
        p.JumpIf(R0 == 0, "out");
        p.Load(R0, Mem.U32(R0));
        p.Label("out");
        p.Exit();
        return p.Build();
    }

    [Fact]
    public void Binds_maps_by_name_and_the_program_sees_the_map()
    {
        Kernel.RequireBpf();
        using var verdict = Bpf.MapCreate(BpfMapType.Array, 4, 4, 1, name: "verdict");
        using var prog = DslProgramLoader.Load(VerdictProgram(), "xdp_verdict_from_map_long_name", [verdict]);
        Assert.Equal("xdp_verdict_fro", Bpf.ObjGetInfoByFd(prog).Name.ToString());

        var frame = new byte[64];
        Bpf.MapUpdateElem(verdict, 0u, (uint)XdpAction.Drop);
        Assert.Equal(XdpAction.Drop, Bpf.ProgTestRun(prog, frame).XdpAction);
        Bpf.MapUpdateElem(verdict, 0u, (uint)XdpAction.Pass);
        Assert.Equal(XdpAction.Pass, Bpf.ProgTestRun(prog, frame).XdpAction);
    }

    [Fact]
    public void A_reference_to_a_map_not_given_names_the_map_and_the_maps_given()
    {
        Kernel.RequireBpf();
        using var other = Bpf.MapCreate(BpfMapType.Array, 4, 4, 1, name: "other");
        var e = Assert.Throws<ArgumentException>(() => DslProgramLoader.Load(VerdictProgram(), "p", [other]));
        Assert.Contains("'verdict'", e.Message);
        Assert.Contains("(other)", e.Message);
        Assert.Equal("maps", e.ParamName);
    }

    [Fact]
    public void Null_and_empty_arguments_are_refused()
    {
        Assert.Throws<ArgumentNullException>(() => DslProgramLoader.Load(null!, "p", []));
        Assert.ThrowsAny<ArgumentException>(() => DslProgramLoader.Load(VerdictProgram(), " ", []));
        Assert.Throws<ArgumentNullException>(() => DslProgramLoader.Load(VerdictProgram(), "p", null!));
    }
}
