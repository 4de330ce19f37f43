namespace CpuMap.Managed.Publish.Tests;

/// <summary>
/// How the published `cpumap` reaches the C library. Its P/Invokes into "libc" (syscall, socket, …) are bound by
/// the linker (DirectPInvoke in src/Cli), so they show up as undefined dynamic symbols of libc.so.6. Without it
/// the runtime would dlopen("libc") at the first call, probing dozens of paths for a libc.so that a minimal
/// container does not have (and that costs start-up time everywhere).
/// </summary>
public sealed class LinkTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);

    [Theory]
    [InlineData("syscall")]
    [InlineData("socket")]
    [InlineData("setns")]
    [InlineData("unshare")]
    public void Libc_imports_are_bound_by_the_linker(string function)
    {
        var readelf = Kernel.RequireTool("readelf");
        var (exit, output) = PublishedBinary.Run(readelf, ["--dyn-syms", "--wide", PublishedBinary.Cpumap], Timeout);
        Assert.True(exit == 0, $"readelf --dyn-syms {PublishedBinary.Cpumap} failed:\n{output}");

        // e.g. "   42: 0000000000000000     0 FUNC    GLOBAL DEFAULT  UND syscall@GLIBC_2.2.5 (2)"
        var imported = output.Split('\n').Any(line =>
            line.Contains(" UND ", StringComparison.Ordinal) &&
            line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(field => field == function || field.StartsWith(function + "@", StringComparison.Ordinal)));
        Assert.True(imported,
            $"{PublishedBinary.Cpumap} does not import {function} from the C library: the P/Invoke is resolved by dlopen at run time. " +
            "Keep <DirectPInvoke Include=\"libc\" /> in src/Cli/CpuMap.Managed.Cli.csproj.");
    }
}
