using System.Runtime.CompilerServices;
using BpfAsm;
using CpuMap.Managed.Syscalls;
using static BpfAsm.Register;

namespace CpuMap.Managed.Loader.Tests;

/// <summary>A DSL program's verifier log shows the C# line that emitted each instruction, as libbpf shows the C line.</summary>
public sealed class DslLineInfoTests
{
    private static int Line([CallerLineNumber] int line = 0) => line;

    private static string ThisFile([CallerFilePath] string file = "") => file;

    [Fact]
    public void A_refused_DSL_program_shows_the_file_and_line_of_the_emitting_call()
    {
        Kernel.RequireBpf();
        var p = new ProgramBuilder("xdp_unchecked");
        p.Load(R2, Mem.U32(R1, 0)); // ctx->data
        p.Load(R0, Mem.U8(R2, 0)); var line = Line(); // no bounds check against data_end
        p.Exit();

        var e = Assert.Throws<BpfVerifierException>(() => DslProgramLoader.Load(p.Build(), "xdp_unchecked", []));
        Assert.Contains("invalid access to packet", e.VerifierLog);
        Assert.Contains($"@ {nameof(DslLineInfoTests)}.cs:{line}", e.VerifierLog);
        if (File.Exists(ThisFile()))
            Assert.Contains("; p.Load(R0, Mem.U8(R2, 0)); var line = Line();", e.VerifierLog); // the line's text, where the source is
    }

    [Fact]
    public void An_accepted_DSL_program_has_its_func_and_line_info_in_the_kernel()
    {
        Kernel.RequireBpf();
        var p = new ProgramBuilder("xdp_with_call");
        p.Call("verdict");
        p.Exit();
        p.Subprogram("verdict");
        p.Return(2);

        using var prog = DslProgramLoader.Load(p.Build(), "xdp_with_call", []);
        var info = Bpf.ObjGetInfoByFd(prog);
        Assert.Equal(2u, info.NrFuncInfo); // the program and its subprogram
        Assert.Equal(4u, info.NrLineInfo); // one per instruction
        Assert.Equal(XdpAction.Pass, Bpf.ProgTestRun(prog, new byte[64]).XdpAction);
    }
}
