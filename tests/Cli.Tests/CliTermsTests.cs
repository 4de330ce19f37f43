using CpuMap.Managed.Cli.Commands;
using CpuMap.Managed.Programs;
using CpuMap.Managed.Programs.Redirect;
using CpuMap.Managed.Programs.Remote;

namespace CpuMap.Managed.Cli.Tests;

/// <summary>The library's errors name code; the tool reports each such term as its own flag or command.</summary>
public class CliTermsTests
{
    [Theory]
    [InlineData("name the one to fill with cpuMapName (SoftwareRssOptions.CpuMapName)", "name the one to fill with --cpumap NAME")]
    [InlineData("Name the right one with cpusAvailableName (SoftwareRssOptions.CpusAvailableName)", "Name the right one with --cpus-available NAME")]
    [InlineData("give it as the remote program (RemoteAction.UserProgram)", "give it as --remote FILE.o:PROGRAM")]
    [InlineData("use RemoteAction.Pass, Drop or Redirect to count deliveries.", "use --remote pass, drop or redirect to count deliveries.")]
    [InlineData("or attach again with it in the CPU list (SoftwareRssOptions.Cpus).", "or attach again with it in --cpus.")]
    [InlineData("Use RssMode.FlowHash.", "Use --mode flow-hash.")]
    [InlineData("attach one with SoftwareRss.Attach(\"eth0\").", "attach one with 'cpumap attach --dev eth0'.")]
    [InlineData("pass the directory given to SoftwareRss.Pin.", "pass the directory given to 'cpumap attach --pin'.")]
    [InlineData("detach it (XdpAttachment.Detach, or ip link", "detach it (cpumap detach --dev DEV, or ip link")]
    [InlineData("(spec.Map(\"rx_cnt\").MaxEntries = N or .SetMaxEntriesToPossibleCpus())", "(cpumap load --max-entries rx_cnt=N or rx_cnt=possible-cpus)")]
    [InlineData("(spec.Program(\"f\").SetType(...), e.g. with BpfProgType.Xdp or BpfProgType.SocketFilter)", "(cpumap load --type f=TYPE[:ATTACH], e.g. f=xdp or f=socket_filter)")]
    [InlineData("CPU 9 is not a possible CPU of this machine", "CPU 9 is not a possible CPU of this machine")]
    public void Library_terms_are_reported_as_the_tools_flags(string library, string tool) => Assert.Equal(tool, CliTerms.InToolTerms(library));

    [Fact]
    public void The_library_still_says_the_terms_the_table_translates()
    {
        // A term reworded in the library would silently reach the user untranslated: pin the library's side too.
        var rebalance = Assert.Throws<ArgumentException>(() => new DemoOptions { Rebalance = true, Rounds = 2 }.Validate());
        Assert.Contains("Use --mode flow-hash.", CliTerms.InToolTerms(rebalance.Message));
        var pins = Assert.Throws<BpfOperationException>(() => SoftwareRssPins.Open("/nonexistent-cpumap-pins"));
        Assert.Contains("pass the directory given to 'cpumap attach --pin'.", CliTerms.InToolTerms(pins.Message));
    }
}
