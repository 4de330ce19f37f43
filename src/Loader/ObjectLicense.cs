using System.Text;

namespace CpuMap.Managed.Loader;

/// <summary>
/// The license a program is loaded with, from the object's "license" section, as libbpf gives it to
/// the kernel. Only GPL-compatible licenses change anything in the kernel (GPL-only helpers, kfuncs):
/// every other string, and none, mean "not GPL-compatible".
/// </summary>
public static class ObjectLicense
{
    /// <summary>
    /// What an object without a usable license loads with. libbpf passes an empty string for an
    /// object without a "license" section; the kernel reads that as not GPL-compatible, exactly as
    /// it reads this name (Bpf.ProgLoad wants a non-empty license, so that intent is explicit).
    /// </summary>
    public const string NotGplCompatible = "Proprietary";

    // libbpf keeps the license in char license[64] and cuts it there. The kernel compares whole
    // strings with its GPL-compatible names ("GPL", "Dual BSD/GPL"...), so a longer or non-ASCII
    // license is as non-GPL as none.
    private const int LibbpfLicenseSize = 64;

    /// <summary>The license to give BPF_PROG_LOAD for an object whose "license" section holds <paramref name="objectLicense"/> (null: no section).</summary>
    public static string ForKernel(string? objectLicense) =>
        objectLicense is { Length: > 0 and < LibbpfLicenseSize } license && Ascii.IsValid(license) ? license : NotGplCompatible;

    /// <summary>
    /// The fix to add to a verifier refusal of a GPL-only helper when <paramref name="objectLicense"/>
    /// is not GPL-compatible, or "" when the log shows no such refusal.
    /// </summary>
    internal static string Note(string? objectLicense, string? verifierLog)
    {
        // The verifier's words: "cannot call GPL-restricted function from non-GPL compatible program".
        if (verifierLog is null || !verifierLog.Contains("GPL-restricted", StringComparison.Ordinal))
            return "";
        var what = string.IsNullOrEmpty(objectLicense)
            ? "the object has no license (no \"license\" section, or an empty one), so it loads as not GPL-compatible, as with libbpf"
            : $"the object's license '{objectLicense}' is not GPL-compatible";
        return $" ({what}; a program that calls GPL-only helpers needs a GPL-compatible license: " +
               "add char LICENSE[] SEC(\"license\") = \"GPL\"; (or \"Dual BSD/GPL\") to its source)";
    }
}
