using System.Globalization;

namespace BpfAsm;

internal enum TokenKind { Identifier, Number, Punctuation, End }

internal readonly record struct Token(TokenKind Kind, string Text, int Column, ulong Number = 0);

/// <summary>Splits one line of llvm BPF assembly into tokens; columns are 1-based in the original line.</summary>
internal static class AsmTokenizer
{
    // Longest first, so "<<=" wins over "<" and "s>>=" over "s>".
    private static readonly string[] Punctuation =
    [
        "s>>=", "<<=", ">>=", "s/=", "s%=", "s>=", "s<=", "+=", "-=", "*=", "/=", "%=", "|=", "&=", "^=", "==", "!=", ">=", "<=",
        "s>", "s<", ">", "<", "=", "(", ")", "[", "]", "*", ",", "+", "-", "&",
    ];

    public static List<Token> Tokenize(string line, int start, int end, Func<int, string, Exception> error)
    {
        var tokens = new List<Token>();
        var i = start;
        while (i < end)
        {
            var c = line[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }
            var punct = MatchPunctuation(line, i, end);
            if (punct != null)
            {
                tokens.Add(new Token(TokenKind.Punctuation, punct, i + 1));
                i += punct.Length;
                continue;
            }
            if (char.IsAsciiDigit(c))
            {
                var s = i;
                var hex = c == '0' && i + 1 < end && (line[i + 1] is 'x' or 'X');
                if (hex)
                    i += 2;
                while (i < end && (char.IsAsciiLetterOrDigit(line[i]) || line[i] == '_'))
                    i++;
                var text = line[s..i];
                var digits = hex ? text[2..] : text;
                if (!ulong.TryParse(digits, hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture, out var value))
                {
                    var isNumber = digits.Length > 0 && digits.All(hex ? char.IsAsciiHexDigit : char.IsAsciiDigit);
                    throw error(s + 1, isNumber
                        ? $"number '{text}' does not fit in 64 bits"
                        : $"'{text}' is not a number: write decimal (42) or hex (0x2a)");
                }
                tokens.Add(new Token(TokenKind.Number, text, s + 1, value));
                continue;
            }
            if (char.IsAsciiLetter(c) || c is '_' or '.' or '$')
            {
                var s = i;
                while (i < end && (char.IsAsciiLetterOrDigit(line[i]) || line[i] is '_' or '.' or '$'))
                    i++;
                tokens.Add(new Token(TokenKind.Identifier, line[s..i], s + 1));
                continue;
            }
            throw error(i + 1, $"unexpected character '{c}'");
        }
        tokens.Add(new Token(TokenKind.End, "end of line", end + 1));
        return tokens;
    }

    private static string? MatchPunctuation(string line, int i, int end)
    {
        foreach (var p in Punctuation)
        {
            if (i + p.Length > end || string.CompareOrdinal(line, i, p, 0, p.Length) != 0)
                continue;
            // "s8", "skb" and "s>" share a first letter: s is an operator only when a symbol follows.
            if (p[0] == 's' && i > 0 && (char.IsAsciiLetterOrDigit(line[i - 1]) || line[i - 1] == '_'))
                continue;
            return p;
        }
        return null;
    }
}
