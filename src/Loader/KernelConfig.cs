using System.IO.Compression;

namespace CpuMap.Managed.Loader;

/// <summary>
/// The running kernel's build configuration (the CONFIG_* options <c>__kconfig</c> externs read), from where libbpf
/// looks: /boot/config-RELEASE, else /proc/config.gz (CONFIG_IKCONFIG_PROC), decompressed here with GZipStream.
/// Read once per process, and only when an object has a CONFIG_ extern.
/// </summary>
public static class KernelConfig
{
    /// <summary>The kernel's own copy of its configuration (CONFIG_IKCONFIG_PROC=y).</summary>
    public const string ProcConfigPath = "/proc/config.gz";

    /// <summary>The release uname -r prints, e.g. "6.18.44-fc-v1045".</summary>
    public const string ReleasePath = "/proc/sys/kernel/osrelease";

    private static readonly Lazy<(IReadOnlyDictionary<string, string> Options, string Source)> Lazy =
        new(ReadRunning, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The running kernel's options that are set, by name ("CONFIG_HZ" → "250"); an option that is not set is absent.</summary>
    /// <exception cref="BpfOperationException">Neither file exists or can be read.</exception>
    public static IReadOnlyDictionary<string, string> Options => Lazy.Value.Options;

    /// <summary>The file <see cref="Options"/> came from.</summary>
    public static string Source => Lazy.Value.Source;

    /// <summary>The running kernel's release, e.g. "6.18.44-fc-v1045".</summary>
    public static string Release => File.ReadAllText(ReleasePath).Trim();

    /// <summary>
    /// LINUX_KERNEL_VERSION as libbpf computes it from the release: KERNEL_VERSION(major, minor, patch), the patch
    /// level capped at 255 as the kernel's own macro caps it.
    /// </summary>
    /// <exception cref="FormatException">The release does not start with major.minor.</exception>
    public static uint VersionCode(string release)
    {
        ArgumentNullException.ThrowIfNull(release);
        var numbers = new uint[3];
        var part = 0;
        var digits = 0;
        foreach (var c in release)
        {
            if (c is >= '0' and <= '9' && numbers[part] < 100_000)
            {
                numbers[part] = numbers[part] * 10 + (uint)(c - '0');
                digits++;
            }
            else if (c == '.' && digits > 0 && part < 2)
            {
                part++;
                digits = 0;
            }
            else
                break;
        }
        if (part == 0 || (part == 1 && digits == 0))
            throw new FormatException($"The kernel release '{release}' does not start with MAJOR.MINOR[.PATCH], so LINUX_KERNEL_VERSION cannot be computed.");
        return (numbers[0] << 16) + (numbers[1] << 8) + Math.Min(numbers[2], 255u);
    }

    /// <summary>Parses a kernel .config: "CONFIG_NAME=value" lines; comments ("# CONFIG_X is not set") and blank lines skipped.</summary>
    public static Dictionary<string, string> Parse(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (!line.StartsWith("CONFIG_", StringComparison.Ordinal))
                continue;
            var equals = line.IndexOf('=');
            if (equals > 0)
                options[line[..equals]] = line[(equals + 1)..];
        }
        return options;
    }

    /// <summary>Reads a .config file, gzip-compressed when its name ends in ".gz".</summary>
    /// <exception cref="BpfOperationException">It cannot be read or decompressed.</exception>
    public static Dictionary<string, string> Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            using var file = File.OpenRead(path);
            using Stream stream = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : file;
            using var reader = new StreamReader(stream);
            return Parse(reader);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new BpfOperationException($"read {path}", $"Cannot read the kernel configuration at {path}: {e.Message}", innerException: e);
        }
    }

    private static (IReadOnlyDictionary<string, string>, string) ReadRunning()
    {
        string release;
        try
        {
            release = Release;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BpfOperationException($"read {ReleasePath}", $"Cannot read the kernel release at {ReleasePath}: {e.Message}", innerException: e);
        }
        var boot = $"/boot/config-{release}";
        foreach (var path in new[] { boot, ProcConfigPath })
            if (File.Exists(path))
                return (Read(path), path);
        throw new BpfOperationException("read kernel configuration",
            $"The running kernel's configuration is in neither {boot} nor {ProcConfigPath}: install the kernel's config file in /boot, " +
            "or use a kernel built with CONFIG_IKCONFIG_PROC=y (or load the configs module)");
    }
}
