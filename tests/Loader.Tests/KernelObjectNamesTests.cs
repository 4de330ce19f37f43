namespace CpuMap.Managed.Loader.Tests;

public sealed class KernelObjectNamesTests
{
    [Theory]
    [InlineData("round_robin", ".rodata", "round_ro.rodata")]
    [InlineData("rr_redirect", ".rodata", "rr_redir.rodata")]
    [InlineData("rr", ".bss", "rr.bss")]
    [InlineData("global_data", ".data", "global_d.data")]
    [InlineData("global_data", ".data.custom", ".data.custom")]       // a custom section keeps its whole name
    [InlineData("global_data", ".rodata.str1.1", ".rodata.str1.1")]
    [InlineData("object", ".rodata.a_very_long_name", ".rodata.a_very_")]
    public void Global_data_maps_are_named_like_libbpf(string objectName, string section, string expected) =>
        Assert.Equal(expected, KernelObjectNames.GlobalDataMap(objectName, section));

    [Theory]
    [InlineData("xdp_redir_cpu_round_robin", "xdp_redir_cpu_r")]
    [InlineData("cpu_map", "cpu_map")]
    [InlineData("outer.inner", "outer.inner")]
    [InlineData("has-dash:colon", "has_dash_colon")]
    public void Names_are_cut_to_15_characters_and_made_acceptable(string name, string expected) =>
        Assert.Equal(expected, KernelObjectNames.ForKernel(name));

    [Theory]
    [InlineData("round_robin.o", "round_robin")]
    [InlineData("/usr/lib/bpf/xsk_def_xdp_prog_5.3.o", "xsk_def_xdp_prog_5")]
    [InlineData("noext", "noext")]
    public void The_object_name_is_the_file_name_up_to_its_first_dot(string file, string expected) =>
        Assert.Equal(expected, KernelObjectNames.ObjectName(file));

    [Fact]
    public void Bad_inputs_are_refused()
    {
        Assert.Throws<ArgumentNullException>(() => KernelObjectNames.ForKernel(null!));
        Assert.Throws<ArgumentException>(() => KernelObjectNames.ObjectName(""));
        Assert.Throws<ArgumentException>(() => KernelObjectNames.GlobalDataMap("x", ""));
    }
}
