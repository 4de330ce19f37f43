using CpuMap.Managed.Elf;
using CpuMap.Managed.Syscalls;

namespace CpuMap.Managed.Loader.Tests;

/// <summary>The license programs load with: the object's, or, without one, not GPL-compatible, as libbpf loads it.</summary>
public sealed class LicenseTests
{
    [Fact]
    public void An_object_without_a_license_section_loads_as_not_gpl_compatible_like_libbpf()
    {
        Kernel.RequireBpf();
        var spec = BpfObjectSpec.From(BpfObject.Parse(FixtureBytes.Renamed("clang19", "round_robin", "license", "licensX"), "round_robin.o"));
        Assert.Null(spec.Object.License);

        using var unlicensed = spec.Load();
        using var licensed = Fixtures.Open("clang19", "round_robin").Load();

        Assert.All(unlicensed.Programs, p => Assert.False(Bpf.ObjGetInfoByFd(p.Fd).GplCompatible));
        Assert.All(licensed.Programs, p => Assert.True(Bpf.ObjGetInfoByFd(p.Fd).GplCompatible));
    }

    [Theory]
    [InlineData("license", "licensX")] // no license section
    [InlineData("GPL\0", "\0PL\0")] // an empty license string
    public void A_gpl_only_helper_without_a_gpl_license_is_refused_with_the_fix(string from, string to)
    {
        Kernel.RequireBpf();
        var spec = BpfObjectSpec.From(BpfObject.Parse(FixtureBytes.Renamed("clang19", "tracing", from, to), "tracing.o"));

        var error = Assert.Throws<BpfLoadException>(() => spec.Load());

        Assert.Equal("each_task", error.ProgramName);
        Assert.Contains("cannot call GPL-restricted function", error.VerifierLog);
        Assert.Contains("the object has no license (no \"license\" section, or an empty one), so it loads as not GPL-compatible, as with libbpf", error.Message);
        Assert.Contains("char LICENSE[] SEC(\"license\") = \"GPL\";", error.Message);
    }

    [Theory]
    [InlineData(null, ObjectLicense.NotGplCompatible)]
    [InlineData("", ObjectLicense.NotGplCompatible)]
    [InlineData("GPL", "GPL")]
    [InlineData("Dual BSD/GPL", "Dual BSD/GPL")]
    [InlineData("GPL ©", ObjectLicense.NotGplCompatible)] // not ASCII: never one of the kernel's GPL names
    public void The_kernel_gets_the_object_license_or_an_explicit_non_gpl_one(string? objectLicense, string expected) =>
        Assert.Equal(expected, ObjectLicense.ForKernel(objectLicense));

    [Fact]
    public void A_license_longer_than_libbpf_keeps_is_not_gpl_compatible()
    {
        Assert.Equal(new string('x', 63), ObjectLicense.ForKernel(new string('x', 63)));
        Assert.Equal(ObjectLicense.NotGplCompatible, ObjectLicense.ForKernel("GPL" + new string(' ', 61)));
    }
}
