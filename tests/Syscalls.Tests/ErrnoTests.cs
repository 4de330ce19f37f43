namespace CpuMap.Managed.Syscalls.Tests;

public class ErrnoTests
{
    [Theory]
    [InlineData(1, "EPERM", "Operation not permitted")]
    [InlineData(7, "E2BIG", "Argument list too long")]
    [InlineData(19, "ENODEV", "No such device")]
    [InlineData(75, "EOVERFLOW", "Value too large")]
    [InlineData(524, "ENOTSUPP", "not supported")]
    public void Names_and_describes(int value, string name, string description)
    {
        var errno = (Errno)value;
        Assert.Equal(name, errno.Name);
        Assert.Contains(description, errno.Description);
        Assert.StartsWith(name + " (", errno.NameAndDescription);
    }

    [Fact]
    public void Names_unknown_values_by_number() => Assert.Equal("errno 4000", ((Errno)4000).Name);

    [Fact]
    public void Bpf_exception_message_has_command_errno_and_hint()
    {
        var e = new BpfException(BpfCommand.MapCreate, Errno.EPERM, "run as root.");
        Assert.Equal(BpfCommand.MapCreate, e.Command);
        Assert.Equal(Errno.EPERM, e.Errno);
        Assert.Equal("BPF_MAP_CREATE failed with EPERM (Operation not permitted): run as root.", e.Message);
    }

    [Fact]
    public void Verifier_exception_shows_the_last_lines_and_keeps_all()
    {
        var log = string.Join('\n', Enumerable.Range(1, 40).Select(i => $"line {i}")) + "\n";
        var e = new BpfVerifierException(Errno.EACCES, "refused.", log);
        Assert.Equal(log, e.VerifierLog);
        Assert.Contains("line 40", e.Message);
        Assert.Contains($"line {40 - BpfVerifierException.MessageLogLines + 1}", e.Message);
        Assert.DoesNotContain($"line {40 - BpfVerifierException.MessageLogLines}\n", e.Message);
        Assert.StartsWith("BPF_PROG_LOAD failed with EACCES", e.Message);
    }
}
