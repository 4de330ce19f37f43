using System.Diagnostics;
using CpuMap.Managed.Testing;

namespace CpuMap.Managed.Programs.Tests;

/// <summary>clang -O2's build of the seed's C (tests/fixtures/src/round_robin.c), as scripts/build-fixtures.sh makes it.</summary>
internal static class ClangFixture
{
    /// <summary>The committed object for <paramref name="compiler"/> (clang14 or clang19), else one compiled now with that clang.</summary>
    public static string RoundRobin(string compiler)
    {
        var committed = Path.Combine(AppContext.BaseDirectory, "fixtures", "obj", compiler, "round_robin.o");
        return File.Exists(committed) ? committed : Compile(compiler);
    }

    private static string Compile(string compiler)
    {
        var clang = Kernel.RequireTool(compiler.Replace("clang", "clang-"));
        var src = Path.Combine(AppContext.BaseDirectory, "fixtures", "src");
        var output = Path.Combine(Path.GetTempPath(), $"round_robin-{compiler}-{Environment.ProcessId}.o");
        // The uapi headers include <asm/types.h>, which lives under the multiarch directory.
        using var process = Process.Start(new ProcessStartInfo(clang,
            ["-O2", "-g", "-target", "bpf", "-I", src, "-I", "/usr/include/x86_64-linux-gnu", "-c", Path.Combine(src, "round_robin.c"), "-o", output])
        { RedirectStandardError = true })!;
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{clang} could not compile {src}/round_robin.c: {errors}");
        return output;
    }
}
