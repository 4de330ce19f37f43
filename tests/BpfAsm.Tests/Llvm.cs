using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using CpuMap.Managed.Testing;

namespace BpfAsm.Tests;

/// <summary>Runs the real llvm-19 tools the listings are compared with.</summary>
internal static partial class Llvm
{
    public const string Mc = "llvm-mc-19", Objdump = "llvm-objdump-19", Objcopy = "llvm-objcopy-19", Readelf = "llvm-readelf-19";

    public static void Require()
    {
        foreach (var tool in new[] { Mc, Objdump, Objcopy, Readelf })
            Kernel.RequireTool(tool);
    }

    public static string Run(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{tool} {string.Join(' ', args)} failed ({p.ExitCode}): {stderr}");
        return stdout.Result;
    }

    /// <summary>Assembles BPF assembly with llvm-mc (v4 ISA) into an object in <paramref name="dir"/>.</summary>
    public static string AssembleObject(string source, string dir)
    {
        var s = Path.Combine(dir, "input.s");
        var o = Path.Combine(dir, "input.o");
        File.WriteAllText(s, source);
        Run(Mc, "-triple", "bpfel", "-mcpu=v4", "-filetype=obj", s, "-o", o);
        return o;
    }

    /// <summary>The raw bytes of one section of an object, extracted by llvm-objcopy.</summary>
    public static byte[] SectionBytes(string obj, string section, string dir)
    {
        var bin = Path.Combine(dir, "section.bin");
        Run(Objcopy, "-O", "binary", "--only-section=" + section, obj, bin);
        return File.ReadAllBytes(bin);
    }

    /// <summary>What llvm-readelf says about one object: its program sections and their relocations.</summary>
    public sealed record ObjectInfo(List<string> ProgramSections, Dictionary<string, List<ListingRelocation>> Relocations);

    /// <summary>Sections and relocations of several objects from one llvm-readelf run.</summary>
    public static Dictionary<string, ObjectInfo> ReadObjects(IReadOnlyList<string> objects)
    {
        var output = Run(Readelf, ["-S", "-r", "--wide", .. objects]);
        var result = new Dictionary<string, ObjectInfo>();
        // With several inputs llvm-readelf heads each with "File: path"; with one it does not.
        var blocks = objects.Count == 1 ? [(objects[0], output)] : FileBlock().Matches(output).Select(m => (m.Groups[1].Value, m.Groups[2].Value)).ToList();
        foreach (var (file, text) in blocks)
        {
            var sections = SectionRow().Matches(text)
                .Where(m => m.Groups["flags"].Value.Contains('X') && long.Parse(m.Groups["size"].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture) > 0)
                .Select(m => m.Groups["name"].Value).ToList();
            var relocations = sections.ToDictionary(sec => sec, _ => new List<ListingRelocation>());
            List<ListingRelocation>? current = null;
            foreach (var line in text.Split('\n'))
            {
                if (line.StartsWith("Relocation section '.rel", StringComparison.Ordinal))
                    current = relocations.GetValueOrDefault(line.Split('\'')[1][4..]);
                else if (current != null && RelocationRow().Match(line) is { Success: true } m)
                    current.Add(new ListingRelocation(long.Parse(m.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                        Enum.Parse<BpfRelocationType>(m.Groups[2].Value), m.Groups[3].Value));
            }
            result[file] = new ObjectInfo(sections, relocations);
        }
        return result;
    }

    /// <summary>The raw bytes of several sections of an object, from one llvm-objcopy run.</summary>
    public static Dictionary<string, byte[]> SectionBytes(string obj, IReadOnlyList<string> sections, string dir)
    {
        var args = new List<string>();
        var unique = Guid.NewGuid().ToString("N"); // objects of two compilers share file names
        var files = sections.Select((sec, i) => (sec, Path.Combine(dir, $"{unique}.{i}.bin"))).ToList();
        foreach (var (sec, file) in files)
            args.AddRange(["--dump-section", $"{sec}={file}"]);
        Run(Objcopy, [.. args, obj, Path.Combine(dir, unique + ".o")]);
        return files.ToDictionary(f => f.sec, f => File.ReadAllBytes(f.Item2));
    }

    /// <summary>llvm-objdump's listing of every section of several objects (one run), keyed by file and section.</summary>
    public static Dictionary<(string File, string Section), string[]> Disassembly(IReadOnlyList<string> objects, bool alu32, bool relocations)
    {
        var args = new List<string> { "-d" };
        if (alu32)
            args.Add("--mattr=+alu32");
        if (relocations)
            args.Add("-r");
        var lines = Run(Objdump, [.. args, .. objects]).Split('\n');
        var result = new Dictionary<(string, string), string[]>();
        string? file = null, section = null;
        var current = new List<string>();
        void Flush()
        {
            if (file != null && section != null)
                result[(file, section)] = Trim(current);
            current = [];
        }
        foreach (var line in lines)
        {
            if (objects.FirstOrDefault(o => line == $"{o}:\tfile format elf64-bpf") is { } next)
            {
                Flush();
                (file, section) = (next, null);
            }
            else if (line.StartsWith("Disassembly of section ", StringComparison.Ordinal))
            {
                Flush();
                section = line["Disassembly of section ".Length..^1];
            }
            else
            {
                current.Add(line);
            }
        }
        Flush();
        return result;
    }

    /// <summary>The function symbols of a listing, from its "offset &lt;name&gt;:" headers.</summary>
    public static List<ListingSymbol> Symbols(IEnumerable<string> listing) =>
        [.. listing.Select(l => Header().Match(l)).Where(m => m.Success)
            .Select(m => new ListingSymbol(m.Groups[2].Value, long.Parse(m.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture)))];

    public static string[] Trim(IEnumerable<string> lines)
    {
        var list = lines.ToList();
        while (list.Count > 0 && list[0].Length == 0)
            list.RemoveAt(0);
        while (list.Count > 0 && list[^1].Length == 0)
            list.RemoveAt(list.Count - 1);
        return [.. list];
    }

    /// <summary>Asserts two listings are equal line for line, reporting the first line that differs.</summary>
    public static void AssertSameListing(string[] expected, string[] actual, string what)
    {
        for (var i = 0; i < Math.Min(expected.Length, actual.Length); i++)
            Assert.True(expected[i] == actual[i], $"{what}, line {i + 1}:\n  llvm-objdump: {expected[i]}\n  ours:         {actual[i]}");
        Assert.True(expected.Length == actual.Length, $"{what}: llvm-objdump printed {expected.Length} lines, we printed {actual.Length}");
    }

    public static string RepositoryRoot() => Repository.Root;

    [GeneratedRegex(@"^\s*\[\s*\d+\]\s+(?<name>\S+)\s+\S+\s+[0-9a-f]+\s+[0-9a-f]+\s+(?<size>[0-9a-f]+)\s+[0-9a-f]+\s+(?<flags>[A-Za-z]*)\s", RegexOptions.Multiline)]
    private static partial Regex SectionRow();

    [GeneratedRegex(@"^File: (\S+)\n(.*?)(?=^File: |\z)", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex FileBlock();

    [GeneratedRegex(@"^([0-9a-f]{16})\s+[0-9a-f]{16}\s+(R_BPF_\w+)\s+[0-9a-f]{16}\s+(\S+)")]
    private static partial Regex RelocationRow();

    [GeneratedRegex(@"^([0-9a-f]{16}) <(.+)>:$")]
    private static partial Regex Header();
}
