using CpuMap.Managed.Elf;

namespace CpuMap.Managed.Loader.Tests;

/// <summary>Programs in sections the loader cannot load fail with the section named, before any kernel call for them.</summary>
[Collection(nameof(FdCounting))] // counts the process's BPF fds: alone, not beside tests that open and close them
public sealed class UnsupportedSectionTests
{
    [Fact]
    public void An_unknown_section_is_named_with_the_known_ones()
    {
        Kernel.RequireBpf();
        var spec = BpfObjectSpec.From(BpfObject.Parse(Renamed("kprobe/do_nanosleep", "kprobX/do_nanosleep"), "multi_prog.o"));
        var before = FdCount.Bpf();

        var error = Assert.Throws<BpfLoadException>(() => spec.Load());

        Assert.Equal("kprobe_nanosleep", error.ProgramName);
        Assert.Contains("section 'kprobX/do_nanosleep' is not a program section this loader knows", error.Message);
        Assert.Contains("kprobe[/…]", error.Message);
        Assert.Throws<BpfLoadException>(() => spec.SectionOf(spec.Object.GetProgram("kprobe_nanosleep")));
    }

    /// <summary>multi_prog.o with every occurrence of one name replaced by another of the same length.</summary>
    private static byte[] Renamed(string from, string to) => FixtureBytes.Renamed("clang19", "multi_prog", from, to);
}
