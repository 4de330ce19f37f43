using CpuMap.Managed.Elf;
using CpuMap.Managed.Syscalls;

namespace CpuMap.Managed.Loader.Tests;

/// <summary>
/// Callbacks (BPF_PSEUDO_FUNC: bpf_loop, bpf_for_each_map_elem) and functions outside .text: subprograms of any
/// executable section, and static programs as cilium/ebpf loads them. Results are the kernel's runs of the programs,
/// checked against arithmetic and the values the test wrote.
/// </summary>
public sealed class CallbackTests
{
    [Theory]
    [MemberData(nameof(Fixtures.EachCompiler), MemberType = typeof(Fixtures))]
    public void Bpf_loop_and_for_each_map_elem_call_their_callbacks(string compiler)
    {
        Kernel.RequireBpf();
        var spec = Fixtures.Open(compiler, "callbacks");
        using var collection = spec.Load();
        var weights = new ulong[] { 3, 1_000, 70_000, 9_000_000 };
        for (var i = 0u; i < weights.Length; i++)
            Bpf.MapUpdateElem(collection.GetMap("weights").Fd, BitConverter.GetBytes(i), BitConverter.GetBytes(weights[i]));

        Assert.Equal(XdpAction.Pass, Bpf.ProgTestRun(collection.GetProgram("run_callbacks").Fd, LoadTests.Frame(64)).XdpAction);

        var bss = new byte[24];
        Assert.True(Bpf.MapLookupElem(collection.GetMap(".bss").Fd, new byte[4], bss));
        ulong Variable(string name) => BitConverter.ToUInt64(bss, spec.Object.GetVariable(name).Variable.Offset);
        Assert.Equal(10ul, Variable("loops"));                      // bpf_loop returns the iterations it ran
        Assert.Equal(45ul, Variable("index_sum"));                  // 0 + 1 + ... + 9
        Assert.Equal(weights.Aggregate(0ul, (a, b) => a + b), Variable("weight_sum"));
        var info = Bpf.ObjGetInfoByFd(collection.GetProgram("run_callbacks").Fd);
        Assert.Equal(3u, info.NrFuncInfo); // the program and its two callbacks, each with its BTF
    }

    [Theory]
    [MemberData(nameof(Fixtures.EachCompiler), MemberType = typeof(Fixtures))]
    public void The_callbacks_program_is_what_libbpf_loads(string compiler)
    {
        Kernel.RequireBpf();
        var bpftool = Kernel.RequireTool("bpftool");
        var path = Fixtures.PathOf(compiler, "callbacks");
        using var collection = BpfObjectSpec.Open(path).Load();
        using var pins = new BpfFsFolder();
        Shell.Run(bpftool, "prog", "loadall", path, pins.Path);

        // The callbacks appended in the same order, and each ld_imm64 of one pointing at it (the kernel inlines
        // bpf_loop into a loop that calls add_index, and turns bpf_for_each_map_elem into its array walker).
        var ours = ProgramBtfTests.Xlated(bpftool, "id", collection.GetProgram("run_callbacks").Id.ToString());
        Assert.Equal(ProgramBtfTests.Xlated(bpftool, "pinned", Path.Combine(pins.Path, "run_callbacks")), ours);
        Assert.Contains("_add_index", ours);
        Assert.Contains("long add_weight(", ours);
    }

    [Theory]
    [MemberData(nameof(Fixtures.EachCompiler), MemberType = typeof(Fixtures))]
    public void Subprograms_of_any_section_are_linked_and_a_static_program_loads(string compiler)
    {
        Kernel.RequireBpf();
        var spec = Fixtures.Open(compiler, "sections");

        // The static helper in "xdp" is called, so it is a subprogram; the static program nobody calls is a program.
        Assert.Equal(["xdp_sections", "xdp_static_drop"], spec.Object.Programs.Select(p => p.Name).Order());
        Assert.Equal(["frame_verdict", "quarter"], spec.Object.Subprograms.Select(p => p.Name).Order());
        Assert.Equal(ElfSymbolBinding.Local, spec.Object.GetProgram("xdp_static_drop").Binding);
        using var collection = spec.Load();

        var sections = collection.GetProgram("xdp_sections").Fd;
        Assert.Equal(XdpAction.Pass, Bpf.ProgTestRun(sections, LoadTests.Frame(64)).XdpAction); // frame_verdict: 64 bytes or more pass
        Assert.Equal(XdpAction.Drop, Bpf.ProgTestRun(sections, LoadTests.Frame(63)).XdpAction);
        Assert.Equal(XdpAction.Drop, Bpf.ProgTestRun(collection.GetProgram("xdp_static_drop").Fd, LoadTests.Frame(64)).XdpAction);
        Assert.Equal(3u, Bpf.ObjGetInfoByFd(sections).NrFuncInfo); // the program, quarter and frame_verdict
    }

    [Theory]
    [MemberData(nameof(Fixtures.EachCompiler), MemberType = typeof(Fixtures))]
    public void Libbpf_refuses_what_this_loader_accepts_beyond_it(string compiler)
    {
        // The difference is deliberate (cilium/ebpf's rules): this pins that libbpf still draws the line there.
        Kernel.RequireBpf();
        var bpftool = Kernel.RequireTool("bpftool");
        var (code, _, error) = Shell.Try("unshare", "-m", "sh", "-c",
            $"mount -t bpf bpf /sys/fs/bpf && exec {bpftool} prog loadall \"$0\" /sys/fs/bpf/loadall", Fixtures.PathOf(compiler, "sections"));
        Assert.NotEqual(0, code);
        Assert.Contains("static", error);
    }
}
