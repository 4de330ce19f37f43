using CpuMap.Managed.Testing;

namespace CpuMap.Managed.Elf.Tests;

/// <summary>
/// The committed objects are what scripts/build-fixtures.sh makes from the committed sources. The ones written against
/// vmlinux.h are compared only on a kernel whose types give the vmlinux.h they were built from; on another kernel they
/// must still build, and are checked to be the same program.
/// </summary>
public class FixtureBuildTests
{
    [Fact]
    public void Committed_objects_match_a_fresh_build_of_their_sources()
    {
        Kernel.RequireTool("clang-14");
        Kernel.RequireTool("clang-19");
        var script = FindScript();
        var output = Directory.CreateTempSubdirectory("cpumap-fixtures-");
        try
        {
            Assert.Contains("built ", Tools.Execute(script, output.FullName));

            var committedHeader = File.ReadAllText(Path.Combine(Fixtures.Directory, Fixtures.VmlinuxHashFile));
            var sameKernelTypes = File.ReadAllText(Path.Combine(output.FullName, Fixtures.VmlinuxHashFile)) == committedHeader;
            foreach (var compiler in Fixtures.Compilers)
            {
                var built = Directory.GetFiles(Path.Combine(output.FullName, compiler), "*.o").Select(Path.GetFileName).Order().ToArray();
                Assert.Equal(Fixtures.All.Select(n => n + ".o").Order(), built);
                foreach (var name in built)
                    if (!sameKernelTypes && Fixtures.FromVmlinuxH.Contains(Path.GetFileNameWithoutExtension(name)))
                        Assert.Equal(
                            BpfObject.Parse(File.ReadAllBytes(Path.Combine(Fixtures.Directory, compiler, name!)), name!).Programs.Select(p => p.SectionName),
                            BpfObject.Parse(File.ReadAllBytes(Path.Combine(output.FullName, compiler, name!)), name!).Programs.Select(p => p.SectionName));
                    else
                        Assert.True(
                        File.ReadAllBytes(Path.Combine(output.FullName, compiler, name!)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(Fixtures.Directory, compiler, name!))),
                        $"{compiler}/{name} differs from its source: run scripts/build-fixtures.sh and commit tests/fixtures/obj");
            }
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    private static string FindScript()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var script = Path.Combine(dir.FullName, "scripts", "build-fixtures.sh");
            if (File.Exists(script))
                return script;
        }
        Kernel.Unavailable("scripts/build-fixtures.sh is not above the test binary; run the tests from the source tree");
        return "";
    }
}
