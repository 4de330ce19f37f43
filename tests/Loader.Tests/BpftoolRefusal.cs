using System.Text.RegularExpressions;
using CpuMap.Managed.Syscalls;

namespace CpuMap.Managed.Loader.Tests;

/// <summary>
/// When both `bpftool prog loadall` (libbpf) and our loader refuse an object, "both failed" proves
/// nothing: a missing feature, a crash and a wrong relocation all fail. This compares the two
/// reasons: libbpf's last "prog 'NAME': ...: -ERRNO" line against our exception, and fails unless
/// ours is the project's own explained error for the same program and the same cause.
/// </summary>
internal static partial class BpftoolRefusal
{
    [GeneratedRegex(@"prog '(?<prog>[^']+)': failed to (?:load|prepare load attributes): -(?<errno>\d+)")]
    private static partial Regex FailedProgram();

    [GeneratedRegex(@"failed to find kernel BTF type ID of '(?<target>[^']+)'")]
    private static partial Regex MissingTarget();

    // Our kernel refusals read "... failed with EXXX (strerror): <why>"; a bare errno has nothing after it.
    [GeneratedRegex(@"failed with E[A-Z0-9]+ \([^)]*\): \S")]
    private static partial Regex ExplainedKernelError();

    /// <summary>
    /// Asserts that <paramref name="ours"/> refuses the program libbpf names in <paramref name="bpftoolError"/>
    /// for the same reason: the kernel's same errno with our explanation (and <paramref name="mustSay"/> when
    /// given), or, where libbpf found no attach target in the kernel's BTF, our refusal before the kernel
    /// naming that target.
    /// </summary>
    public static void AssertSameReason(string bpftoolError, Exception ours, string? mustSay = null)
    {
        var both = $"bpftool: {bpftoolError.Trim()}\nours: {ours.GetType().Name}: {ours.Message}";
        var failed = FailedProgram().Matches(bpftoolError).LastOrDefault();
        Assert.True(failed is not null, $"bpftool failed without naming a program and an errno; this test cannot compare the reasons.\n{both}");
        var load = Assert.IsType<BpfLoadException>(ours, exactMatch: true);
        Assert.True(load.ProgramName == failed.Groups["prog"].Value,
            $"libbpf refused program '{failed.Groups["prog"].Value}', we refused {(load.ProgramName is null ? "no program" : $"'{load.ProgramName}'")}.\n{both}");
        var errno = (Errno)int.Parse(failed.Groups["errno"].Value);

        if (MissingTarget().Match(bpftoolError) is { Success: true } missing)
        {
            // libbpf answers -ESRCH before any bpf(2) call; so must we, naming the target and where we looked.
            Assert.True(errno == Errno.ESRCH, $"libbpf's missing BTF target came with -{(int)errno}, expected -ESRCH.\n{both}");
            Assert.True(load.Errno is null, $"libbpf refused before the kernel (no BTF target), we got the kernel's {load.Errno}.\n{both}");
            Assert.Contains($"has no FUNC '{missing.Groups["target"].Value}'", load.Message);
            return;
        }
        Assert.True(bpftoolError.Contains("BPF program load failed"),
            $"libbpf failed for a reason this test does not know how to compare; teach it or fix the object.\n{both}");
        Assert.True(load.Errno == errno, $"the kernel refused libbpf's load with {errno.NameAndDescription}, ours with {(load.Errno?.ToString() ?? "no errno")}.\n{both}");
        Assert.True(ExplainedKernelError().IsMatch(load.Message), $"our refusal gives the kernel's errno without the project's explanation.\n{both}");
        if (mustSay is not null)
            Assert.Contains(mustSay, load.Message);
    }
}
