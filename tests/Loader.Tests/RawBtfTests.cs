using System.Text.RegularExpressions;
using CpuMap.Managed.Elf;
using CpuMap.Managed.Elf.Btf;

namespace CpuMap.Managed.Loader.Tests;

/// <summary>
/// The scan over the kernel's raw BTF bytes (<see cref="RawBtf"/>) against bpftool's dump of the same file: every
/// name-kind pair bpftool lists, of a sample spread over the whole id range, must come back with bpftool's id.
/// </summary>
public sealed partial class RawBtfTests
{
    private static readonly Lazy<List<(uint Id, BtfKind Kind, string Name)>> Dump = new(() =>
    {
        var types = new List<(uint, BtfKind, string)>();
        foreach (Match match in DumpLine().Matches(Shell.Run("bpftool", "btf", "dump", "file", KernelBtf.VmlinuxPath)))
            if (match.Groups[3].Value != "(anon)") // bpftool's word for a type without a name
                types.Add((uint.Parse(match.Groups[1].Value), Enum.Parse<BtfKind>(match.Groups[2].Value.Replace("_", ""), ignoreCase: true), match.Groups[3].Value));
        return types;
    });

    [Fact]
    public void Finds_the_id_bpftool_reads_for_a_name_of_every_kind_across_the_whole_kernel_btf()
    {
        Kernel.RequireTool("bpftool");
        var btf = KernelBtf.Vmlinux;
        var dump = Dump.Value;
        Assert.True(dump.Count > 1000, $"bpftool listed only {dump.Count} named types of {KernelBtf.VmlinuxPath}");

        // The first of each name and kind is what a lookup by name answers (libbpf's btf__find_by_name_kind).
        var first = new Dictionary<(BtfKind, string), uint>();
        foreach (var (id, kind, name) in dump)
            first.TryAdd((kind, name), id);
        var kinds = first.Keys.Select(k => k.Item1).Distinct().ToList();
        Assert.Contains(BtfKind.Func, kinds);
        Assert.Contains(BtfKind.Var, kinds);
        Assert.Contains(BtfKind.Struct, kinds);
        // Every 97th pair, so the sample reaches the last types too, and the first and last of each kind.
        var sample = first.Where((_, i) => i % 97 == 0).ToList();
        foreach (var kind in kinds)
        {
            sample.Add(first.First(p => p.Key.Item1 == kind));
            sample.Add(first.Last(p => p.Key.Item1 == kind));
        }
        foreach (var ((kind, name), id) in sample)
            Assert.True(btf.Find(name, kind) == id, $"{kind} '{name}': bpftool reads id {id}, the scan answered {btf.Find(name, kind)?.ToString() ?? "none"}");
    }

    [Fact]
    public void A_name_the_kernel_lacks_a_prefix_of_a_name_and_a_name_of_another_kind_are_not_found()
    {
        Kernel.RequireTool("bpftool");
        var btf = KernelBtf.Vmlinux;
        Assert.Null(btf.Find("bpf_xdp_flow_lookup_no_such_kfunc", BtfKind.Func));
        Assert.Null(btf.Find("bpf_dynptr_from_xd", BtfKind.Func)); // a prefix of a real name
        Assert.Null(btf.Find("ynptr_from_xdp", BtfKind.Func));     // a suffix of a real name
        Assert.Null(btf.Find("bpf_dynptr_from_xdp", BtfKind.Struct));
        Assert.NotNull(btf.Find("bpf_dynptr_from_xdp", BtfKind.Func));
    }

    [Fact]
    public void Bad_bytes_and_names_are_refused_naming_the_input()
    {
        Assert.Throws<ArgumentNullException>(() => RawBtf.Parse(null!, "x"));
        Assert.Throws<ArgumentException>(() => RawBtf.Parse(new byte[24], ""));
        Assert.Contains("shorter than its 24-byte header", Assert.Throws<BpfObjectException>(() => RawBtf.Parse(new byte[8], "short.btf")).Message);
        Assert.Contains("magic 0x0000", Assert.Throws<BpfObjectException>(() => RawBtf.Parse(new byte[24], "zero.btf")).Message);

        // A valid header whose one type has kind 31, which BTF does not have: the walk cannot go past it.
        byte[] header = [0x9f, 0xeb, 1, 0, 24, 0, 0, 0, 0, 0, 0, 0, 12, 0, 0, 0, 12, 0, 0, 0, 3, 0, 0, 0];
        byte[] type = [1, 0, 0, 0, 0, 0, 0, 0x1f, 0, 0, 0, 0];
        byte[] strings = [0, (byte)'a', 0];
        var btf = RawBtf.Parse([.. header, .. type, .. strings], "odd.btf");
        Assert.Contains("type kind 31", Assert.Throws<BpfObjectException>(() => btf.Find("a", BtfKind.Int)).Message);
        Assert.Throws<ArgumentException>(() => btf.Find("", BtfKind.Int));
        Assert.Throws<ArgumentNullException>(() => btf.Find(null!, BtfKind.Int));

        header[12] = 200; // types run past the end
        Assert.Contains("does not fit", Assert.Throws<BpfObjectException>(() => RawBtf.Parse([.. header, .. type, .. strings], "cut.btf")).Message);
    }

    [GeneratedRegex(@"^\[(\d+)\] (TYPEDEF|FUNC|VAR|STRUCT|UNION|ENUM|ENUM64|INT|FUNC_PROTO|FWD|DATASEC|FLOAT|DECL_TAG) '([^']+)'", RegexOptions.Multiline)]
    private static partial Regex DumpLine();
}
