using System.Text.RegularExpressions;
using CpuMap.Managed.Testing;

namespace BpfAsm.Tests;

public partial class BpfHelperTests
{
    [Fact]
    public void Helper_ids_match_the_kernel_uapi_header()
    {
        const string header = "/usr/include/linux/bpf.h";
        if (!File.Exists(header))
            Kernel.Unavailable($"{header} is missing: install linux-libc-dev");
        var text = File.ReadAllText(header);
        var mapper = text[text.IndexOf("#define __BPF_FUNC_MAPPER(FN)", StringComparison.Ordinal)..];
        mapper = mapper[..mapper.IndexOf("/* */", StringComparison.Ordinal)];
        var names = Fn().Matches(mapper).Select(m => m.Groups[1].Value).ToList();
        Assert.True(names.Count > 200, $"found only {names.Count} helpers in {header}");
        for (var id = 0; id < names.Count; id++)
        {
            var pascal = string.Concat(names[id].Split('_').Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
            Assert.True(Enum.TryParse<BpfHelper>(pascal, out var helper), $"BPF_FUNC_{names[id]} ({id}) is missing");
            Assert.Equal(id, (int)helper);
        }
    }

    [Fact]
    public void Helper_ids_reach_the_cgroup_storage_helpers()
    {
        Assert.Equal(1, (int)BpfHelper.MapLookupElem);
        Assert.Equal(51, (int)BpfHelper.RedirectMap);
        Assert.Equal(8, (int)BpfHelper.GetSmpProcessorId);
        Assert.Equal(211, (int)BpfHelper.CgrpStorageDelete);
        Assert.Equal(212, Enum.GetValues<BpfHelper>().Length);
    }

    [GeneratedRegex(@"FN\((\w+)")]
    private static partial Regex Fn();
}
