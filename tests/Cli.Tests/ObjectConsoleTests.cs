using CpuMap.Managed.Cli.Commands;

namespace CpuMap.Managed.Cli.Tests;

/// <summary>What the tool prints of an exception's message: the sentence, not what .NET adds for a programmer.</summary>
public class ObjectConsoleTests
{
    [Fact]
    public void The_parameter_name_is_cut_off()
        => Assert.Equal("qsize 0 is out of range.", ObjectConsole.Sentence(new ArgumentException("qsize 0 is out of range.", "qsize")));

    [Fact]
    public void An_out_of_range_value_loses_the_parameter_and_the_actual_value_line()
        => Assert.Equal("give 1 to 16384 frames.", ObjectConsole.Sentence(new ArgumentOutOfRangeException("qsize", 0u, "give 1 to 16384 frames.")));

    [Fact]
    public void Other_messages_stay_whole_on_one_line()
    {
        Assert.Equal("BPF_MAP_CREATE failed with EPERM: run as root. (Parameter 'x') is text here",
            ObjectConsole.Sentence(new BpfOperationException("BPF_MAP_CREATE", $"BPF_MAP_CREATE failed with EPERM:{Environment.NewLine}run as root. (Parameter 'x') is text here")));
        Assert.Equal("no name given", ObjectConsole.Sentence(new ArgumentException("no name given")));
    }
}
