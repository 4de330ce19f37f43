using System.Text.RegularExpressions;

namespace CpuMap.Managed.Publish.Tests;

/// <summary>
/// The promise to minimal containers: a root filesystem holding only the published binary and the C library
/// files `ldd` lists is enough to run the whole demo (load, netlink, XDP attach, live frames, counters).
/// </summary>
public sealed partial class ChrootTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [Fact]
    public void Demo_runs_in_a_chroot_holding_only_the_binary_and_the_C_library()
    {
        Kernel.RequireBpf();
        var chroot = Kernel.RequireTool("chroot");
        var ldd = Kernel.RequireTool("ldd");
        var mount = Kernel.RequireTool("mount");
        var umount = Kernel.RequireTool("umount");

        var root = Directory.CreateTempSubdirectory("cpumap-chroot-").FullName;
        var mounted = new List<string>();
        try
        {
            File.Copy(PublishedBinary.Cpumap, Path.Combine(root, "cpumap"));
            var (lddExit, lddOutput) = PublishedBinary.Run(ldd, [PublishedBinary.Cpumap], Timeout);
            Assert.True(lddExit == 0, $"ldd {PublishedBinary.Cpumap} failed:\n{lddOutput}");
            foreach (var library in LibraryPaths(lddOutput))
            {
                var copy = root + library;
                Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
                File.Copy(library, copy); // follows the symlink: the chroot gets the file itself
            }

            // Checked before /proc and /sys are mounted, so only what the container image would hold is seen.
            var files = Directory.EnumerateFiles(root, "*", new EnumerationOptions
            {
                RecurseSubdirectories = true,
                AttributesToSkip = 0,
            }).ToList();
            foreach (var file in files)
                Assert.False(PublishedBinary.ForbiddenLibraries.Any(name => Path.GetFileName(file).Contains(name, StringComparison.Ordinal)),
                    $"{file} is in the root filesystem: the published binary must not need it");
            Assert.Contains(files, f => f.EndsWith("/libc.so.6", StringComparison.Ordinal));

            foreach (var (type, target) in new[] { ("proc", "/proc"), ("sysfs", "/sys"), ("bpf", "/sys/fs/bpf") })
            {
                var path = root + target;
                Directory.CreateDirectory(path);
                var (exit, output) = PublishedBinary.Run(mount, ["-t", type, type, path], Timeout);
                Assert.True(exit == 0, $"mount -t {type} {path} failed:\n{output}");
                mounted.Add(path);
            }

            var (demoExit, demoOutput) = PublishedBinary.Run(chroot, [root, "/cpumap", "demo", "--frames", "100000"], Timeout);
            Assert.True(demoExit == 0, $"cpumap demo in the chroot exited with {demoExit}:\n{demoOutput}");
            Assert.Contains("sent 100000 = delivered", demoOutput);
            Assert.Contains("removed:", demoOutput);
        }
        finally
        {
            for (var i = mounted.Count - 1; i >= 0; i--)
                PublishedBinary.Run(umount, [mounted[i]], Timeout);
            // Never delete through a mount that failed to come off: that would reach the host's /sys.
            if (mounted.All(m => !IsMountPoint(m)))
                Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>The absolute paths in `ldd` output ("libc.so.6 => /lib/...so.6 (0x...)", "/lib64/ld-linux...").</summary>
    internal static IEnumerable<string> LibraryPaths(string lddOutput) =>
        LddPath().Matches(lddOutput).Select(m => m.Value).Distinct();

    private static bool IsMountPoint(string path) =>
        File.ReadAllLines("/proc/self/mountinfo").Any(line => line.Split(' ')[4] == path);

    [GeneratedRegex(@"(?<=\s|^)/\S+(?=\s\(0x)", RegexOptions.Multiline)]
    private static partial Regex LddPath();
}
