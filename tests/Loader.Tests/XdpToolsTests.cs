using CpuMap.Managed.Elf;

namespace CpuMap.Managed.Loader.Tests;

/// <summary>Other people's clang output: the objects Debian's xdp-tools (libxdp1) installs load,
/// or fail, exactly where `bpftool prog loadall` does.</summary>
public sealed class XdpToolsTests
{
    [Theory]
    [MemberData(nameof(LoaderFixtures.XdpToolsObjects), MemberType = typeof(LoaderFixtures))]
    public void Loads_where_bpftool_loads(string file)
    {
        Kernel.RequireBpf();
        Kernel.RequireTool("bpftool");
        var path = Path.Combine(Fixtures.XdpToolsDirectory, file);
        // A private mount namespace with its own BPF filesystem: bpftool's pins (and the maps libbpf
        // pins by name) vanish with it instead of piling up in the real /sys/fs/bpf.
        var (bpftoolCode, _, bpftoolError) = Shell.Try("unshare", "-m", "sh", "-c",
            "mount -t bpf bpf /sys/fs/bpf && exec bpftool prog loadall \"$0\" /sys/fs/bpf/loadall", path);

        Exception? ours = null;
        try
        {
            using var collection = Fixtures.WithoutPinsByName(BpfObjectSpec.Open(path)).Load();
            Assert.NotEmpty(collection.Programs);
        }
        catch (Exception e) when (e is BpfLoadException or BpfObjectException)
        {
            ours = e;
        }

        Assert.True((bpftoolCode == 0) == (ours is null),
            $"bpftool prog loadall {(bpftoolCode == 0 ? "loaded it" : "failed: " + bpftoolError.Trim())}; we {(ours is null ? "loaded it" : "failed: " + ours.Message)}");
        // Both refusing is only agreement when it is the same refusal (xdpdump_bpf.o's fentry/func, whose
        // target xdpdump names at run time, is one): same program, same cause, ours explained.
        if (ours is not null)
            BpftoolRefusal.AssertSameReason(bpftoolError, ours);
    }

    [Fact]
    public void The_xdp_dispatcher_links_its_global_subprograms()
    {
        Kernel.RequireBpf();
        var path = Path.Combine(Fixtures.XdpToolsDirectory, "xdp-dispatcher.o");
        if (!File.Exists(path))
            Kernel.Unavailable($"{path} is not installed (apt install libxdp1)");

        using var collection = Fixtures.WithoutPinsByName(BpfObjectSpec.Open(path)).Load();
        var dispatcher = collection.GetProgram("xdp_dispatcher");

        Assert.True(dispatcher.InstructionCount > dispatcher.Program.InstructionCount);
        Assert.Equal(XdpAction.Pass, Syscalls.Bpf.ProgTestRun(dispatcher.Fd, LoadTests.Frame(64)).XdpAction);
    }
}
