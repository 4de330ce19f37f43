using Spectre.Console;

namespace CpuMap.Managed.Cli.Tests;

/// <summary>
/// The tests' table reader (<see cref="RenderedTable"/>) on tables Spectre.Console draws, in both border sets the tools
/// use: what it reads must be the cells, or every table assertion built on it would pass or fail for the wrong reason.
/// </summary>
public sealed class RenderedTableTests
{
    [Theory]
    [InlineData("square")]
    [InlineData("rounded")]
    public void Rows_are_the_cells_without_the_drawing(string border)
    {
        var output = Render(border == "square" ? TableBorder.Square : TableBorder.Rounded);

        Assert.Equal([["CPU", "qsize", "remote program"], ["0", "2048", "none"], ["1", "64", "xdp_cpumap_coun"]], RenderedTable.Rows(output));
        Assert.Equal(["1", "64", "xdp_cpumap_coun"], RenderedTable.Row(output, "1", @"\d+"));
    }

    [Fact]
    public void A_row_that_is_not_there_fails_naming_the_rows_that_are()
    {
        var output = Render(TableBorder.Square);

        // Whole cells: "204" is no match for 2048, and CPU 1's row is not CPU 0's.
        var e = Assert.Throws<Xunit.Sdk.TrueException>(() => RenderedTable.Row(output, "0", "204"));
        Assert.Contains("no table row starts with [0 | 204]", e.Message);
        Assert.Contains("0 | 2048 | none", e.Message);
        Assert.Throws<Xunit.Sdk.TrueException>(() => RenderedTable.Row(output, "0", "64"));
        Assert.Empty(RenderedTable.Rows("no table here\n"));
    }

    private static string Render(TableBorder border)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No,
        });
        var table = new Table().Border(border).AddColumns("CPU", "qsize", "remote program");
        table.AddRow("0", "2048", "none");
        table.AddRow("1", "64", "xdp_cpumap_coun");
        console.Write(table);
        return writer.ToString();
    }
}
