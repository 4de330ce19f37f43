using System.Text.RegularExpressions;

namespace CpuMap.Managed.Testing;

/// <summary>
/// One damaged copy of a listing (llvm-objdump's text, as an assembler reads it): lines dropped,
/// repeated or swapped, tokens traded with other listings', numbers replaced by the ones that break
/// range checks, single characters changed, the text cut short. The damage keeps most lines intact,
/// so it reaches the instruction parser rather than stopping at the first line.
/// </summary>
public static partial class TextMutator
{
    private static readonly string[] Numbers =
        ["0", "-1", "1", "10", "11", "0x7fff", "0x8000", "-32769", "0x7fffffff", "0x80000000", "-0x80000000", "2147483648", "0xffffffff",
         "4294967296", "0x7fffffffffffffff", "0xffffffffffffffff", "18446744073709551616", "99999999999999999999999", "0x", "-", "+0"];

    private static readonly string[] Characters = ["", " ", "\t", "\n", "r", "w", "(", ")", "*", "+", "-", "=", ":", "<", ">", "u", "s", "x", "0", "9", ";", "#", "\0", "é"];

    public static (string Text, string How) Mutate(Random random, string text, IReadOnlyList<string> tokens)
    {
        var lines = text.Split('\n').ToList();
        var line = random.Next(lines.Count);
        switch (random.Next(7))
        {
            case 0:
                lines.RemoveAt(line);
                return (string.Join('\n', lines), $"line {line + 1} removed");
            case 1:
                var copy = random.Next(lines.Count);
                lines.Insert(line, lines[copy]);
                return (string.Join('\n', lines), $"line {copy + 1} repeated before line {line + 1}");
            case 2:
                var other = random.Next(lines.Count);
                (lines[line], lines[other]) = (lines[other], lines[line]);
                return (string.Join('\n', lines), $"lines {line + 1} and {other + 1} swapped");
            case 3:
                var words = Token().Matches(lines[line]);
                if (words.Count == 0)
                    goto case 5;
                var word = words[random.Next(words.Count)];
                var token = tokens[random.Next(tokens.Count)];
                lines[line] = lines[line][..word.Index] + token + lines[line][(word.Index + word.Length)..];
                return (string.Join('\n', lines), $"'{word.Value}' on line {line + 1} replaced by '{token}'");
            case 4:
                var numbers = Number().Matches(lines[line]);
                if (numbers.Count == 0)
                    goto case 5;
                var number = numbers[random.Next(numbers.Count)];
                var replacement = Numbers[random.Next(Numbers.Length)];
                lines[line] = lines[line][..number.Index] + replacement + lines[line][(number.Index + number.Length)..];
                return (string.Join('\n', lines), $"'{number.Value}' on line {line + 1} replaced by '{replacement}'");
            case 5:
                var at = random.Next(lines[line].Length + 1);
                var character = Characters[random.Next(Characters.Length)];
                var cut = at < lines[line].Length && random.Next(2) == 0 ? 1 : 0;
                lines[line] = lines[line][..at] + character + lines[line][(at + cut)..];
                return (string.Join('\n', lines), $"'{character}' put at column {at + 1} of line {line + 1}{(cut == 1 ? " over one character" : "")}");
            default:
                var end = random.Next(text.Length + 1);
                return (text[..end], $"cut to {end} characters");
        }
    }

    /// <summary>The words and symbols of <paramref name="texts"/>: what <see cref="Mutate"/> trades tokens with.</summary>
    public static string[] Tokens(IEnumerable<string> texts) =>
        [.. texts.SelectMany(t => Token().Matches(t).Select(m => m.Value)).Distinct().Order(StringComparer.Ordinal)];

    [GeneratedRegex(@"[A-Za-z_.][A-Za-z0-9_.]*|-?(0x)?[0-9a-fA-F]+|[^\sA-Za-z0-9_.]+")]
    private static partial Regex Token();

    [GeneratedRegex(@"-?(0x[0-9a-fA-F]+|[0-9]+)")]
    private static partial Regex Number();
}
