using CpuMap.Managed.Loader;
using System.Diagnostics;
using CpuMap.Managed.Syscalls;
using CpuMap.Managed.Testing;
using CpuMap.Managed.Programs.Bytecode;
using CpuMap.Managed.Programs.Redirect;
using CpuMap.Managed.Programs.Remote;
using CpuMap.Managed.Programs.Traffic;

namespace CpuMap.Managed.Programs.Tests;

/// <summary>Remote-CPU programs from the user's own object file (FILE.o:PROGRAM), loaded by src/Loader.</summary>
public sealed class RemoteObjectProgramTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", "obj", "clang19", name);

    [Fact]
    public void A_cpumap_program_from_an_object_counts_the_frames_delivered_to_each_cpu()
    {
        Kernel.RequireBpf();
        using var remote = RemoteObjectProgram.Load(ClangFixture.RoundRobin("clang19"), "xdp_cpumap_count");
        Assert.Equal(BpfAttachType.XdpCpumap, remote.Program.LoadAttributes!.ExpectedAttachType);
        Assert.Equal("xdp/cpumap", remote.Loaded.Section.Prefix);
        using var redirect = FlowHashRedirect.Load();
        redirect.Configure(CpuList.Possible.ToArray(), 256, remote.Program);
        Assert.All(redirect.CpuMap.Entries(), entry => Assert.Equal(remote.Program.Id, entry.ProgId));

        LiveFrames.Send(redirect.Program, EthernetFrame.Udp(), 100);
        // The object's own map: PERCPU_ARRAY remote_packets, one __u64 per possible CPU.
        var counts = new ulong[CpuList.Possible.Count];
        var clock = Stopwatch.StartNew();
        while (counts.Aggregate(0ul, (a, b) => a + b) < 100 && clock.Elapsed < Arrivals.Drain)
            Bpf.MapLookupElem(remote.Collection.GetMap("remote_packets").Fd, BitConverter.GetBytes(0u), System.Runtime.InteropServices.MemoryMarshal.AsBytes(counts.AsSpan()));
        Assert.Equal(100ul, counts.Aggregate(0ul, (a, b) => a + b));
    }

    [Fact]
    public void A_program_outside_a_cpumap_section_is_refused_before_loading()
    {
        var path = ClangFixture.RoundRobin("clang19");
        // The object, not the caller, is at fault: the root, with no errno (the kernel was never asked).
        var e = Assert.Throws<BpfOperationException>(() => RemoteObjectProgram.Load(path, RoundRobinProgram.Name));
        Assert.Equal((BpfLoadException.LoadOperation, (Errno?)null), (e.Operation, e.Errno));
        Assert.Contains($"Program '{RoundRobinProgram.Name}' in {path} is in section 'xdp' (BPF_PROG_TYPE_XDP, expected attach type BPF_XDP)", e.Message);
        Assert.Contains("BPF_XDP_CPUMAP", e.Message);
        Assert.Contains("SEC(\"xdp/cpumap\")", e.Message);

        var devmap = Assert.Throws<BpfOperationException>(() => RemoteObjectProgram.Load(Fixture("multi_prog.o"), "xdp_devmap_pass"));
        Assert.Contains("expected attach type BPF_XDP_DEVMAP", devmap.Message);
        var tc = Assert.Throws<BpfOperationException>(() => RemoteObjectProgram.Load(Fixture("multi_prog.o"), "tc_accept"));
        Assert.Contains("BPF_PROG_TYPE_SCHED_CLS", tc.Message);
    }

    [Fact]
    public void A_frags_cpumap_program_is_refused_and_a_plain_one_loads()
    {
        var path = CompileRemotePrograms();
        var e = Assert.Throws<BpfOperationException>(() => RemoteObjectProgram.Load(path, "remote_frags_pass"));
        Assert.Contains("BPF_F_XDP_HAS_FRAGS", e.Message);
        Assert.Contains("first program to use a CPUMAP fixes its frags setting", e.Message);

        Kernel.RequireBpf();
        using var remote = RemoteObjectProgram.Load(path, "remote_drop");
        Assert.Equal(path, remote.Path);
        Assert.Equal(3, remote.Collection.Programs.Count);   // the object's every program: remote_drop, remote_frags_pass, egress_count
    }

    [Theory]
    [InlineData("", "xdp_cpumap_count", "path")]
    [InlineData("round_robin.o", "", "name")]
    public void An_object_program_needs_a_path_and_a_name(string path, string name, string refused)
    {
        Assert.Equal(refused, Assert.Throws<ArgumentException>(() => new ObjectProgram(path, name)).ParamName);
        Assert.Equal(refused, Assert.Throws<ArgumentNullException>(() => new ObjectProgram(path == "" ? null! : path, name == "" ? null! : name)).ParamName);
    }

    [Fact]
    public void An_object_programs_file_is_checked_before_anything_is_loaded()
    {
        Assert.True(new ObjectProgram(ClangFixture.RoundRobin("clang19"), "xdp_cpumap_count").FileExists(out var none));
        Assert.Null(none);
        var missing = new ObjectProgram("/nonexistent/remote.o", "count");
        Assert.False(missing.FileExists(out var reason));
        Assert.Equal("The object file '/nonexistent/remote.o' of program 'count' does not exist: give the path of a clang-compiled BPF object (.o).", reason);
        Assert.Equal("/nonexistent/remote.o:count", missing.ToString());
        Assert.Equal(new ObjectProgram("/tmp/a:b.o", "prog"), new ObjectProgram("/tmp/a:b.o", "prog"));
    }

    [Fact]
    public void Bad_paths_and_names_are_refused_with_what_exists()
    {
        Assert.Equal("path", Assert.Throws<ArgumentException>(() => RemoteObjectProgram.Load("", "p")).ParamName);
        Assert.Equal("programName", Assert.Throws<ArgumentException>(() => RemoteObjectProgram.Load("x.o", "")).ParamName);
        var missing = Assert.Throws<FileNotFoundException>(() => RemoteObjectProgram.Load("/nonexistent/remote.o", "count"));
        Assert.Contains("'/nonexistent/remote.o'", missing.Message);
        var unknown = Assert.Throws<BpfOperationException>(() => RemoteObjectProgram.Load(ClangFixture.RoundRobin("clang19"), "no_such_prog"));
        Assert.Contains("has no program 'no_such_prog'", unknown.Message);
        Assert.Contains("xdp_cpumap_count (section xdp/cpumap)", unknown.Message);
    }

    private static readonly Lazy<string> RemotePrograms = new(CompileRemoteProgramsOnce);

    /// <summary>tests/Programs.Tests/fixtures/remote_programs.c built with clang-19, once per test process (tests in parallel share it).</summary>
    internal static string CompileRemotePrograms() => RemotePrograms.Value;

    private static string CompileRemoteProgramsOnce()
    {
        var clang = Kernel.RequireTool("clang-19");
        var src = Path.Combine(AppContext.BaseDirectory, "fixtures", "src");
        var output = Path.Combine(Path.GetTempPath(), $"remote_programs-{Environment.ProcessId}.o");
        using var process = Process.Start(new ProcessStartInfo(clang,
            ["-O2", "-g", "-target", "bpf", "-I", src, "-I", "/usr/include/x86_64-linux-gnu", "-c", Path.Combine(src, "remote_programs.c"), "-o", output])
        { RedirectStandardError = true })!;
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{clang} could not compile remote_programs.c: {errors}");
        return output;
    }
}
