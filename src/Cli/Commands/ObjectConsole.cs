using System.CommandLine;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace CpuMap.Managed.Cli.Commands;

/// <summary>Output helpers shared by cpumap's commands: tables, and errors on standard error.</summary>
internal static class ObjectConsole
{
    /// <summary>A console writing to the invocation's output (a test's writer, or stdout).</summary>
    public static IAnsiConsole For(ParseResult parse)
    {
        var output = parse.InvocationConfiguration.Output;
        var terminal = IsTerminal(parse);
        // Only a terminal has escape codes and colours to detect. Piped into a file or another tool
        // (or a test's writer) the answer is known: plain text. Saying so skips Spectre's detection,
        // which compiles a set of TERM regular expressions on every run.
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        // There is no terminal width to fit either: 80 columns would wrap every kernel name,
        // so give the tables room for whole names.
        if (!terminal)
            console.Profile.Width = 200;
        return console;
    }

    /// <summary>Whether the output is a terminal (progress bars, live tables) rather than a file, a pipe or a test's writer.</summary>
    public static bool IsTerminal(ParseResult parse) =>
        parse.InvocationConfiguration.Output == Console.Out && !Console.IsOutputRedirected;

    /// <summary>A table with plain-text headers.</summary>
    public static Table Table(string title, params string[] columns)
    {
        var table = new Table { Title = new TableTitle(Markup.Escape(title)) };
        foreach (var column in columns)
            table.AddColumn(new TableColumn(new Text(column)));
        return table;
    }

    /// <summary>Adds cells as plain text: object names may hold '[' that markup would take as a tag.</summary>
    public static void AddTextRow(this Table table, params string[] cells) =>
        table.AddRow(cells.Select(cell => (IRenderable)new Text(cell)).ToArray());

    /// <summary>Reports a failure on standard error as "cpumap COMMAND: message" and returns exit code 1.</summary>
    public static int Fail(ParseResult parse, string command, string message)
    {
        parse.InvocationConfiguration.Error.WriteLine($"cpumap {command}: {CliTerms.InToolTerms(message)}");
        return 1;
    }

    /// <summary>
    /// The message without what ArgumentException appends for a programmer: " (Parameter 'x')" and, from
    /// ArgumentOutOfRangeException, the line "Actual value was X." (the user named no parameter, and the flag's own
    /// message already shows the value typed).
    /// </summary>
    public static string Sentence(Exception e)
    {
        var message = e.Message;
        if (e is ArgumentException { ParamName: { } name } && message.IndexOf($" (Parameter '{name}')", StringComparison.Ordinal) is var at and >= 0)
            message = message[..at];
        return message.Replace(Environment.NewLine, " ");
    }
}
