namespace CpuMap.Managed.Syscalls.Tests;

public class CpuListTests
{
    [Theory]
    [InlineData("0", new[] { 0 })]
    [InlineData("0-3\n", new[] { 0, 1, 2, 3 })]
    [InlineData("0-3,5,8-11", new[] { 0, 1, 2, 3, 5, 8, 9, 10, 11 })]
    [InlineData(" 2,0 \n", new[] { 0, 2 })]
    [InlineData("0-2,1-3", new[] { 0, 1, 2, 3 })]
    [InlineData("", new int[0])]
    [InlineData("\n", new int[0])]
    public void Parses_full_range_lists(string text, int[] cpus)
    {
        var list = CpuList.Parse(text);
        Assert.Equal(cpus, list.ToArray());
        Assert.Equal(cpus.Length, list.Count);
        foreach (var cpu in cpus)
            Assert.True(list.Contains(cpu));
        Assert.False(list.Contains(-1));
        Assert.False(list.Contains(4));
    }

    [Theory]
    [InlineData("0-3,5,8-11")]
    [InlineData("7")]
    [InlineData("0,2,4-5")]
    public void Prints_the_kernel_format(string text) => Assert.Equal(text, CpuList.Parse(text).ToString());

    [Theory]
    [InlineData("0,,1", "empty item")]
    [InlineData("0-3,", "empty item")]
    [InlineData("3-1", "runs backwards")]
    [InlineData("a", "'a' is not a CPU number")]
    [InlineData("0-", "missing a CPU number")]
    [InlineData("-1", "missing a CPU number")]
    [InlineData("1 2", "'1 2' is not a CPU number")]
    [InlineData("0-99999999999", "beyond the largest CPU number")]
    [InlineData("0-9:2/5", "is not a CPU number")]
    public void Refuses_bad_lists_naming_input_and_cause(string text, string cause)
    {
        var e = Assert.Throws<FormatException>(() => CpuList.Parse(text, "test input"));
        Assert.Contains("test input", e.Message);
        Assert.Contains($"'{text.Trim()}'", e.Message);
        Assert.Contains(cause, e.Message);
        Assert.Contains("e.g. '0-3,5,8-11'", e.Message);
    }

    [Fact]
    public void Refuses_null() => Assert.Throws<ArgumentNullException>(() => CpuList.Parse(null!));

    [Fact]
    public void A_selection_is_at_least_one_possible_cpu_each_once()
    {
        var first = CpuList.Possible[0];
        Assert.True(CpuList.IsValidSelection(CpuList.Possible, out var none));
        Assert.Null(none);
        Assert.True(CpuList.IsValidSelection([first], out _));
        Assert.False(CpuList.IsValidSelection([], out var empty));
        Assert.StartsWith($"The CPU list is empty: give at least one of the possible CPUs ({CpuList.Possible})", empty);
        Assert.False(CpuList.IsValidSelection([first, first], out var twice));
        Assert.Equal($"CPU {first} appears more than once in the CPU list [{first},{first}]: list each CPU once.", twice);
        foreach (var impossible in new[] { -1, CpuList.NrCpuIds, int.MaxValue })
        {
            Assert.False(CpuList.IsValidSelection([first, impossible], out var reason));
            Assert.StartsWith($"CPU {impossible} is not a possible CPU of this machine (possible: {CpuList.Possible}, from {CpuList.PossiblePath})", reason);
        }
        Assert.Throws<ArgumentNullException>(() => CpuList.IsValidSelection(null!, out _));
    }

    [Fact]
    public void Reads_possible_and_online_cpus_from_sysfs()
    {
        if (!File.Exists(CpuList.PossiblePath))
            Testing.Kernel.Unavailable($"{CpuList.PossiblePath} is missing: /sys is not mounted");
        var possible = CpuList.Possible;
        var online = CpuList.ReadOnline();
        Assert.Equal(File.ReadAllText(CpuList.PossiblePath).Trim(), possible.ToString());
        Assert.True(possible.Count >= Environment.ProcessorCount);
        Assert.All(online, cpu => Assert.True(possible.Contains(cpu)));
        Assert.Same(possible, CpuList.Possible);
    }

    [Fact]
    public void Reports_an_unreadable_file_with_the_fix()
    {
        var e = Assert.Throws<BpfOperationException>(() => CpuList.Read("/nonexistent/cpu/possible"));
        Assert.IsType<DirectoryNotFoundException>(e.InnerException);
        Assert.Contains("/nonexistent/cpu/possible", e.Message);
        Assert.Contains("sysfs", e.Message);
    }
}
