using System.Text.RegularExpressions;

namespace CpuMap.Managed.Testing;

/// <summary>
/// The tables the tools print (Spectre.Console's), read the way tests assert them: as rows of cell texts, so that a
/// test says "CPU 0's row has qsize 2048" and not how the table is drawn.
/// </summary>
public static class RenderedTable
{
    // Spectre's border sets as the tools draw them (TableBorder.Square, the default, and Rounded): a row is a line
    // between two '│', its cells split at '│'. The rules above, between and below the rows (─ ┌ ┐ └ ┘ ├ ┤ ┬ ┴ ┼, and
    // ╭ ╮ ╰ ╯ at the corners of a rounded table) start with another character, so they are no rows.
    private const char CellSeparator = '│';

    /// <summary>Every row of every table in <paramref name="output"/>, header rows too, as the trimmed text of each cell.</summary>
    public static IReadOnlyList<string[]> Rows(string output) =>
        [.. output.Split('\n').Select(line => line.Trim())
            .Where(line => line.Length > 1 && line[0] == CellSeparator && line[^1] == CellSeparator)
            .Select(line => line[1..^1].Split(CellSeparator).Select(cell => cell.Trim()).ToArray())];

    /// <summary>
    /// The first row whose first cells match <paramref name="cells"/>, each a regular expression for the whole cell
    /// (use <see cref="Regex.Escape"/> for text with ( ) . and the like); fails listing the rows there are.
    /// </summary>
    public static string[] Row(string output, params string[] cells)
    {
        var rows = Rows(output);
        var row = rows.FirstOrDefault(r => r.Length >= cells.Length
            && cells.Select((pattern, i) => Regex.IsMatch(r[i], $"^(?:{pattern})$")).All(match => match));
        Assert.True(row is not null,
            $"no table row starts with [{string.Join(" | ", cells)}]; the rows:\n{string.Join('\n', rows.Select(r => string.Join(" | ", r)))}\nin:\n{output}");
        return row!;
    }
}
