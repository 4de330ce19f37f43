namespace CpuMap.Managed.Loader.Tests;

/// <summary>Setting variables by name before loading: no kernel needed.</summary>
public sealed class GlobalVariablesTests
{
    [Theory]
    [MemberData(nameof(Fixtures.EachCompiler), MemberType = typeof(Fixtures))]
    public void Typed_set_changes_the_value_the_map_will_start_with(string compiler)
    {
        var spec = Fixtures.Open(compiler, "global_data");
        var rodata = spec.Object.GetGlobalData(".rodata");
        var before = rodata.InitialValue.ToArray();

        spec.Variables.Set<uint>("rodata_limit", 99);
        spec.Variables.Set<uint>("data_counter", 5);

        Assert.Equal(99u, spec.Variables.Get<uint>("rodata_limit"));
        Assert.Equal("99", spec.Variables.Format("rodata_limit"));
        Assert.Equal(5u, spec.Variables.Get<uint>("data_counter"));
        Assert.Equal(before, rodata.InitialValue.ToArray()); // the object's own bytes stay as they were
    }

    [Theory]
    [InlineData("7", 7u)]
    [InlineData("0x10", 16u)]
    [InlineData(" 4294967295 ", uint.MaxValue)]
    public void Values_from_text_follow_the_btf_type(string text, uint expected)
    {
        var spec = Fixtures.Open("clang19", "round_robin");

        spec.Variables.SetFromString("nr_cpus", text);

        Assert.Equal(expected, spec.Variables.Get<uint>("nr_cpus"));
    }

    [Fact]
    public void A_wrongly_sized_type_is_refused_naming_both_sizes()
    {
        var spec = Fixtures.Open("clang19", "round_robin");

        var error = Assert.Throws<ArgumentException>(() => spec.Variables.Set<ulong>("nr_cpus", 2));

        Assert.Contains("'nr_cpus' is 4 bytes (unsigned int)", error.Message);
        Assert.Contains("8 bytes", error.Message);
        Assert.Throws<ArgumentException>(() => spec.Variables.Get<byte>("nr_cpus"));
        Assert.Throws<ArgumentException>(() => spec.Variables.SetBytes("nr_cpus", new byte[3]));
    }

    [Fact]
    public void An_unknown_name_is_refused_listing_the_variables()
    {
        var spec = Fixtures.Open("clang19", "global_data");

        var error = Assert.Throws<ArgumentException>(() => spec.Set<uint>("nr_cpu", 2));

        Assert.Contains("no global variable 'nr_cpu'", error.Message);
        Assert.Contains("rodata_limit", error.Message);
        Assert.Contains("bss_total", error.Message);
        Assert.Throws<ArgumentException>(() => spec.Variables.SetFromString("", "1"));
        Assert.Throws<ArgumentNullException>(() => spec.Variables.SetFromString("rodata_limit", null!));
        Assert.Contains("no global variables at all", Assert.Throws<ArgumentException>(() => Fixtures.Open("clang19", "multi_prog").Set<uint>("x", 1)).Message);
    }

    [Theory]
    [InlineData("-1", "out of range", "0 to 4294967295")]
    [InlineData("4294967296", "out of range", "0 to 4294967295")]
    [InlineData("0x1ffffffff", "out of range", "0 to 4294967295")]
    [InlineData("two", "not a number", "decimal or as 0x hex")]
    [InlineData("", "not a number", "decimal")]
    [InlineData("1.5", "not a number", "decimal")]
    [InlineData("0x", "not a number", "decimal")]
    public void Bad_text_is_refused_with_the_range_or_the_syntax(string text, string cause, string fix)
    {
        var spec = Fixtures.Open("clang19", "round_robin");

        var error = Assert.ThrowsAny<Exception>(() => spec.Variables.SetFromString("nr_cpus", text));

        Assert.True(error is FormatException or ArgumentOutOfRangeException, error.ToString());
        Assert.Contains(cause, error.Message);
        Assert.Contains(fix, error.Message);
        Assert.Contains("nr_cpus", error.Message);
        Assert.Equal(1u, spec.Variables.Get<uint>("nr_cpus"));
    }

    [Fact]
    public void An_array_is_not_set_from_text()
    {
        var spec = Fixtures.Open("clang19", "global_data");

        var error = Assert.Throws<ArgumentException>(() => spec.Variables.SetFromString("rodata_table", "1"));

        Assert.Contains("32-byte array", error.Message);
        Assert.Contains("SetBytes", error.Message);
        Assert.Equal(64, spec.Variables.Format("rodata_table").Length); // shown as hex bytes
    }
}
