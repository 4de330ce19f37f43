using BpfAsm.Cli;
using CpuMap.Managed.Elf;
using CpuMap.Managed.Testing;

namespace BpfAsm.Tests;

/// <summary>
/// The seeds of bpfasm's fuzz tests, all from the committed fixture objects: the objects themselves,
/// their program sections' raw instructions, and their listings as `bpfasm dis` prints them (with and
/// without relocations, lossless and alu32), plus the hand-written listings in Data/.
/// </summary>
internal static class FuzzInputs
{
    private static readonly string[] Objects = [.. Fixtures.Compilers.SelectMany(c => Fixtures.All
        .Select(n => Path.Combine(Repository.Root, "tests", "fixtures", "obj", c, n + ".o"))).Where(File.Exists)];

    private static readonly string[] ListingOptions = ["", "-r", "--lossless", "--alu32", "-r --no-show-raw-insn"];

    public static FuzzSeed[] ObjectSeeds() => [.. Objects.Select(path => FuzzSeed.Object(Name(path), File.ReadAllBytes(path)))];

    public static FuzzSeed[] InstructionSeeds() =>
    [
        .. Objects.Where(path => !Path.GetFileName(path).StartsWith("invalid", StringComparison.Ordinal))
            .SelectMany(path => BpfObject.Load(path).Sections.Where(s => s.IsExecutable && s.Size > 0)
                .Select(s => FuzzSeed.Whole($"{Name(path)} {s.Name}", s.Data.ToArray()))),
    ];

    public static string[] Listings()
    {
        var listings = new List<string>();
        foreach (var path in Objects.Where(path => !Path.GetFileName(path).StartsWith("invalid", StringComparison.Ordinal)))
            foreach (var options in ListingOptions)
            {
                var output = new StringWriter();
                var exitCode = BpfAsmCommand.Run(["dis", .. options.Split(' ', StringSplitOptions.RemoveEmptyEntries), path], output, TextWriter.Null);
                Assert.True(exitCode == 0, $"bpfasm dis {options} {path} exited {exitCode}");
                listings.Add(output.ToString());
            }
        listings.AddRange(Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Data"), "*.s").Order().Select(File.ReadAllText));
        return [.. listings];
    }

    private static string Name(string path) => $"{Path.GetFileName(Path.GetDirectoryName(path))}/{Path.GetFileNameWithoutExtension(path)}";
}
