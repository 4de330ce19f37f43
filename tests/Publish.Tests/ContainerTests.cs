using System.Text.RegularExpressions;

namespace CpuMap.Managed.Publish.Tests;

/// <summary>
/// The published `cpumap` in a real container: scripts/image builds an OCI image FROM scratch holding only the
/// binary and the C library files `ldd` lists, and podman runs `cpumap probe` and `cpumap demo` in it as user
/// nobody (65534:65534) with two added capabilities and no --privileged. The flags are those the README's
/// "Containers" section gives, and why each is there is measured here.
/// </summary>
public sealed partial class ContainerTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    /// <summary>The test's own tag, removed at the end: a user's localhost/cpumap:latest is never touched.</summary>
    private const string Image = "localhost/cpumap:test";

    /// <summary>
    /// What `podman run` needs besides the image and the capabilities, and why (all measured on the test VMs).
    /// </summary>
    private static readonly string[] RunFlags =
    [
        // Debian 12's podman runs crun 1.8, which refuses a hybrid cgroup hierarchy ("cgroups in hybrid mode not
        // supported"): these VMs have cgroup v1 beside a cgroup2 mount with a controller. runc runs there.
        "--runtime", "runc",
        // Root's podman asks for 1048576 open files and, once any --ulimit is named, as many processes; raising a
        // hard limit needs CAP_SYS_RESOURCE, which the CI runner's root lacks ("setrlimit RLIMIT_NOFILE:
        // Operation not permitted"). Lowering never needs it; cpumap uses a few dozen descriptors and threads.
        "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=32768:32768",
        // cpumap makes its own network namespace for the demo: the container needs no network of its own.
        "--network", "none",
        // Not root in the container: the capabilities added below are then its only ones (podman makes them
        // ambient for a non-root user; it gives such a user none of its default set).
        "--user", "65534:65534",
    ];

    /// <summary>
    /// CAP_SYS_ADMIN: podman's default seccomp profile allows bpf(2) only to a container with CAP_SYS_ADMIN
    /// (with CAP_BPF alone every bpf(2) call fails with EPERM), and the demo's unshare(CLONE_NEWNET) needs it
    /// anyway; it also stands for CAP_BPF and CAP_PERFMON in the kernel's checks (the xdp_cpumap_enqueue raw
    /// tracepoint). CAP_NET_ADMIN: creating the veth pair, loading XDP programs and attaching them.
    /// </summary>
    private static readonly string[] Capabilities = ["--cap-add", "CAP_SYS_ADMIN,CAP_NET_ADMIN"];

    [Fact]
    public void Probe_and_demo_run_as_nobody_in_a_scratch_image_with_CAP_SYS_ADMIN_and_CAP_NET_ADMIN()
    {
        Kernel.RequireBpf();
        var podman = Kernel.RequireTool("podman");
        Kernel.RequireTool("runc");
        var ldd = Kernel.RequireTool("ldd");
        var prefix = $"cpumap-test-{Guid.NewGuid():N}"[..20];
        var containers = new List<string>();
        try
        {
            var build = Run(Path.Combine(PublishedBinary.RepositoryRoot(), "scripts", "image"), ["--tag", Image],
                new Dictionary<string, string> { [PublishedBinary.DirectoryVariable] = Path.GetDirectoryName(PublishedBinary.Cpumap)! });
            Assert.Contains($"image: {Image},", build);

            // The image holds the binary and what ldd lists for it, nothing else.
            var (lddExit, lddOutput) = PublishedBinary.Run(ldd, [PublishedBinary.Cpumap], Timeout);
            Assert.True(lddExit == 0, $"ldd {PublishedBinary.Cpumap} failed:\n{lddOutput}");
            var expected = ChrootTests.LibraryPaths(lddOutput).Append("/cpumap").Order().ToList();
            Assert.Equal(expected, ImageFiles(podman));
            Assert.Equal("65534:65534 [/cpumap]", Run(podman, ["image", "inspect", "--format", "{{.Config.User}} {{.Config.Entrypoint}}", Image]).Trim());

            // Without the capabilities nobody gets none: bpf(2) is refused, so the two below are what grants it.
            var (deniedExit, denied) = RunContainer(podman, Name("denied"), [], ["probe"]);
            Assert.True(deniedExit != 0, $"cpumap probe succeeded with no added capability:\n{denied}");
            Assert.Contains("EPERM", denied);
            Assert.Contains("this process lacks CAP_BPF", denied);

            var (probeExit, probe) = RunContainer(podman, Name("probe"), Capabilities, ["probe"]);
            Assert.True(probeExit == 0, $"cpumap probe in the container exited with {probeExit}:\n{probe}");
            var possible = File.ReadAllText("/sys/devices/system/cpu/possible").Trim();
            var online = File.ReadAllText("/sys/devices/system/cpu/online").Trim();
            Assert.Contains($"possible CPUs: {possible} (", probe);
            Assert.Contains($"online CPUs:   {online} (", probe);
            Assert.Matches(@"CPUMAP 'cpumap_probe' \(id [1-9]\d*\)", probe);
            Assert.Contains("removed them (0 left) and closed the map", probe);
            // The demo's traffic source, probed from inside the container (bpf(2) through the seccomp profile).
            RenderedTable.Row(probe, Regex.Escape("XDP live frames (BPF_F_TEST_XDP_LIVE_FRAMES)"), "available");

            var (demoExit, demo) = RunContainer(podman, Name("demo"), Capabilities, ["demo", "--frames", "100000"]);
            Assert.True(demoExit == 0, $"cpumap demo in the container exited with {demoExit}:\n{demo}");
            var figures = DemoFigures().Match(demo);
            Assert.True(figures.Success, $"no 'sent = delivered + dropped' line with the kernel's count in:\n{demo}");
            var delivered = ulong.Parse(figures.Groups["delivered"].Value);
            var dropped = ulong.Parse(figures.Groups["dropped"].Value);
            Assert.Equal(100_000ul, delivered + dropped);
            Assert.True(delivered > 0, $"no frame was delivered:\n{demo}");
            // The raw tracepoint loaded and attached (CAP_SYS_ADMIN standing for CAP_PERFMON): its count agrees.
            Assert.Equal(figures.Groups["full"].Value, figures.Groups["kernel"].Value);
            Assert.Contains("removed: the redirect and remote programs", demo);
        }
        finally
        {
            // --rm removes each container when it ends; this catches one left by a timeout or a failed start.
            foreach (var name in containers)
                PublishedBinary.Run(podman, ["rm", "--force", "--ignore", name], Timeout);
            PublishedBinary.Run(podman, ["rmi", "--ignore", Image], Timeout);
        }

        string Name(string what)
        {
            containers.Add($"{prefix}-{what}");
            return containers[^1];
        }
    }

    private (int Exit, string Output) RunContainer(string podman, string name, string[] capabilities, string[] arguments)
    {
        string[] command = ["run", "--rm", "--name", name, .. RunFlags, .. capabilities, Image, .. arguments];
        var (exit, text) = PublishedBinary.Run(podman, command, Timeout);
        output.WriteLine($"$ podman {string.Join(' ', command)}\n{text}");
        return (exit, text);
    }

    /// <summary>Every file in the image (mounted read-only through podman's storage), as absolute paths.</summary>
    private List<string> ImageFiles(string podman)
    {
        var root = Run(podman, ["image", "mount", Image]).Trim();
        try
        {
            return Directory.EnumerateFileSystemEntries(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
                .Where(path => !Directory.Exists(path))
                .Select(path => path[root.Length..])
                .Order()
                .ToList();
        }
        finally
        {
            PublishedBinary.Run(podman, ["image", "unmount", Image], Timeout);
        }
    }

    private string Run(string file, string[] arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var (exit, text) = PublishedBinary.Run(file, arguments, Timeout, environment);
        output.WriteLine($"$ {file} {string.Join(' ', arguments)}\n{text}");
        Assert.True(exit == 0, $"{file} {string.Join(' ', arguments)} exited with {exit}:\n{text}");
        return text;
    }

    // "sent 100000 = delivered 98720 + dropped 1280 (redirect errors 0, full queues 1280; the kernel's xdp_cpumap_enqueue counted 1280)"
    [GeneratedRegex(@"sent 100000 = delivered (?<delivered>\d+) \+ dropped (?<dropped>\d+) \(redirect errors \d+, full queues (?<full>\d+); the kernel's xdp_cpumap_enqueue counted (?<kernel>\d+)\)")]
    private static partial Regex DemoFigures();
}
