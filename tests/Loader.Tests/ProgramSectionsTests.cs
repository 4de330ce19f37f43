using CpuMap.Managed.Syscalls;

namespace CpuMap.Managed.Loader.Tests;

public sealed class ProgramSectionsTests
{
    /// <summary>Section names libbpf only learnt after Debian 12's libbpf-dev (1.1): tc/ and tcx/ came with libbpf 1.3.</summary>
    private static readonly HashSet<string> NewerThanLibbpf11 = ["tc/ingress", "tc/egress", "tcx/ingress", "tcx/egress"];

    /// <summary>
    /// The oracle: libbpf itself. Every entry of the table, bare and with a "/target" where it takes one, is
    /// read by libbpf-dev's libbpf_prog_type_by_name in a C program built here, and must get the same program
    /// type and expected attach type (libbpf says 0 where the table says none).
    /// </summary>
    [Fact]
    public void Every_section_name_reads_as_libbpf_reads_it()
    {
        var names = ProgramSections.Known
            .SelectMany(known => known.EndsWith("[/…]", StringComparison.Ordinal) ? [known[..^4], known[..^4] + "/do_nanosleep"] : new[] { known })
            .ToArray();
        var libbpf = Libbpf.ProgTypesByName(names);

        Assert.Equal(names.Length, libbpf.Count);
        foreach (var name in names)
        {
            var ours = ProgramSections.Get(name);
            var theirs = libbpf[name];
            if (theirs is null)
            {
                Assert.True(NewerThanLibbpf11.Contains(name), $"libbpf does not know the section '{name}', which the table reads as {ours.ProgramTypeName}");
                continue;
            }
            Assert.True(((int)ours.ProgramType, (int?)ours.ExpectedAttachType ?? 0) == theirs.Value,
                $"'{name}': the table says {ours.ProgramTypeName}/{ours.ExpectedAttachTypeName ?? "none"} = ({(int)ours.ProgramType}, " +
                $"{(int?)ours.ExpectedAttachType ?? 0}), libbpf says {theirs.Value}");
        }
    }

    /// <summary>
    /// The flags libbpf gives a section (SEC_SLEEPABLE for ".s", SEC_XDP_FRAGS for ".frags") are applied
    /// only when it loads the program, so its name API cannot show them; these rows state libbpf's rule.
    /// </summary>
    [Theory]
    [InlineData("xdp", BpfProgFlags.None)]
    [InlineData("xdp.frags", BpfProgFlags.XdpHasFrags)]
    [InlineData("xdp.frags/cpumap", BpfProgFlags.XdpHasFrags)]
    [InlineData("xdp.frags/devmap", BpfProgFlags.XdpHasFrags)]
    [InlineData("xdp/devmap", BpfProgFlags.None)]
    [InlineData("fentry/do_nanosleep", BpfProgFlags.None)]
    [InlineData("fentry.s/do_nanosleep", BpfProgFlags.Sleepable)]
    [InlineData("fexit.s/do_nanosleep", BpfProgFlags.Sleepable)]
    [InlineData("fmod_ret.s/bpf_modify_return_test", BpfProgFlags.Sleepable)]
    [InlineData("iter.s/task", BpfProgFlags.Sleepable)]
    [InlineData("lsm.s/file_open", BpfProgFlags.Sleepable)]
    public void Frags_and_sleepable_sections_carry_their_flag(string section, BpfProgFlags flags)
    {
        var found = ProgramSections.Get(section);

        Assert.Equal(flags, found.Flags);
        Assert.Equal(found.ProgramType is BpfProgType.Tracing or BpfProgType.Lsm, found.NeedsAttachBtfId);
    }

    [Fact]
    public void Names_the_kernel_types_in_the_kernels_words()
    {
        var section = ProgramSections.Get("xdp.frags/cpumap");

        Assert.Equal("BPF_PROG_TYPE_XDP", section.ProgramTypeName);
        Assert.Equal("BPF_XDP_CPUMAP", section.ExpectedAttachTypeName);
        Assert.Null(ProgramSections.Get("socket").ExpectedAttachTypeName);
    }

    [Theory]
    [InlineData("xdp/bogus")]      // "xdp" matches only itself: xdp/cpumap and xdp/devmap have their own entries
    [InlineData("xdpx")]
    [InlineData("socket/udp")]     // libbpf 1.x reads the networking sections exactly: no "/suffix"
    [InlineData("tc/foo")]
    [InlineData("kprobex/foo")]
    [InlineData("")]
    [InlineData("license")]
    public void Unknown_sections_are_refused_by_name(string section)
    {
        Assert.Null(Libbpf.ProgTypesByName([section])[section]); // libbpf refuses it too
        Assert.Null(ProgramSections.Find(section));
        var error = Assert.Throws<BpfOperationException>(() => ProgramSections.Get(section));
        Assert.Contains($"'{section}'", error.Message);
        Assert.Contains("xdp.frags/cpumap", error.Message);
        Assert.Equal((BpfLoadException.LoadOperation, (Errno?)null), (error.Operation, error.Errno));
    }

    [Fact]
    public void Null_is_refused() => Assert.Throws<ArgumentNullException>(() => ProgramSections.Find(null!));
}
