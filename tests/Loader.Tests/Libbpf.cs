using CpuMap.Managed.Testing;

namespace CpuMap.Managed.Loader.Tests;

/// <summary>libbpf-dev's own answers, from a small C program built against it here: an oracle for the loader's tables.</summary>
internal static class Libbpf
{
    private const string Source = """
        #include <bpf/libbpf.h>
        #include <stdio.h>

        static int quiet(enum libbpf_print_level level, const char *format, va_list args) { return 0; }

        int main(int argc, char **argv)
        {
            libbpf_set_print(quiet);
            for (int i = 1; i < argc; i++) {
                enum bpf_prog_type type;
                enum bpf_attach_type attach;
                if (libbpf_prog_type_by_name(argv[i], &type, &attach) == 0)
                    printf("%d %d\n", type, attach);
                else
                    printf("unknown\n");
            }
            return 0;
        }
        """;

    /// <summary>What libbpf_prog_type_by_name says of each name: (program type, expected attach type), or null when it refuses it.</summary>
    internal static IReadOnlyDictionary<string, (int Type, int Attach)?> ProgTypesByName(IReadOnlyList<string> names)
    {
        Kernel.RequireTool("gcc");
        using var dir = new TempDir();
        var c = Path.Combine(dir.Path, "prog_type_by_name.c");
        var exe = Path.Combine(dir.Path, "prog_type_by_name");
        File.WriteAllText(c, Source);
        Shell.Run("gcc", "-O1", "-o", exe, c, "-lbpf");
        var lines = Shell.Run(exe, [.. names]).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(names.Count, lines.Length);
        var answers = new Dictionary<string, (int, int)?>();
        for (var i = 0; i < names.Count; i++)
            answers[names[i]] = lines[i] == "unknown" ? null : (int.Parse(lines[i].Split(' ')[0]), int.Parse(lines[i].Split(' ')[1]));
        return answers;
    }
}
