namespace CpuMap.Managed.Loader.Tests;

public sealed class BpfObjectSpecTests
{
    [Fact]
    public void Bad_arguments_are_refused_naming_them()
    {
        Assert.Throws<ArgumentNullException>(() => BpfObjectSpec.Open(null!));
        Assert.Throws<ArgumentException>(() => BpfObjectSpec.Open(""));
        Assert.Throws<ArgumentNullException>(() => BpfObjectSpec.From(null!));
        var spec = Fixtures.Open("clang19", "round_robin");
        Assert.Throws<ArgumentNullException>(() => spec.SectionOf(null!));
        Assert.Throws<ArgumentNullException>(() => spec.Variables.TypeNameOf(null!));
        Assert.Contains("'nope'", Assert.Throws<ArgumentException>(() => spec.Variables.Format("nope")).Message);

        var level = Assert.Throws<ArgumentOutOfRangeException>(() => spec.Load(new BpfLoadOptions { LogLevel = 3 }));
        Assert.Contains("LogLevel 3", level.Message);
        Assert.Contains("PinDirectory", Assert.Throws<ArgumentException>(() => spec.Load(new BpfLoadOptions { PinDirectory = "" })).Message);
    }

    [Fact]
    public void A_missing_file_is_an_object_error_naming_it()
    {
        var error = Assert.Throws<Elf.BpfObjectException>(() => BpfObjectSpec.Open("/nonexistent/z.o"));

        Assert.Contains("/nonexistent/z.o", error.Message);
    }

    [Fact]
    public void The_object_name_prefixes_global_data_maps()
    {
        var spec = Fixtures.Open("clang19", "global_data");

        Assert.Equal("global_data", spec.ObjectName);
        Assert.Equal("xdp", spec.SectionOf(spec.Object.GetProgram("xdp_global_data")).Prefix);
    }

    [Fact]
    public void A_log_level_keeps_the_verifier_log_of_a_successful_load()
    {
        Kernel.RequireBpf();

        using var collection = Fixtures.Open("clang19", "subprograms").Load(new BpfLoadOptions { LogLevel = 1 });

        Assert.Contains("processed", collection.GetProgram("xdp_with_calls").Fd.VerifierLog);
    }
}
