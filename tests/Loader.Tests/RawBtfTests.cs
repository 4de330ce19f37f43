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

    /// <summary>
    /// Member offsets against bpftool's raw dump of the same struct: every member of a few structs the tools
    /// read (bpf_prog and bpf_prog_aux for XDP error counting, xdp_buff for CO-RE fixtures), with bitfields unanswered.
    /// </summary>
    [Theory]
    [InlineData("bpf_prog")]
    [InlineData("bpf_prog_aux")]
    [InlineData("xdp_buff")]
    public void Member_offsets_are_the_ones_bpftool_reads(string structName)
    {
        Kernel.RequireTool("bpftool");
        var raw = Shell.Run("bpftool", "btf", "dump", "file", KernelBtf.VmlinuxPath, "format", "raw");
        var block = Regex.Match(raw, $@"^\[\d+\] STRUCT '{structName}' size=\d+ vlen=\d+\n((?:\t.*\n)*)", RegexOptions.Multiline);
        Assert.True(block.Success, $"bpftool lists no struct {structName}");
        var members = MemberLine().Matches(block.Groups[1].Value);
        Assert.NotEmpty(members);
        var btf = KernelBtf.Vmlinux;
        foreach (var m in members.Where(m => m.Groups[1].Value != "(anon)")) // bpftool's word for an unnamed member
        {
            var bits = uint.Parse(m.Groups[2].Value);
            uint? expected = m.Groups[3].Success || bits % 8 != 0 ? null : bits / 8;
            Assert.True(btf.MemberByteOffset(structName, BtfKind.Struct, m.Groups[1].Value) == expected,
                $"{structName}.{m.Groups[1].Value}: bpftool reads bits_offset={bits}{(m.Groups[3].Success ? " (a bitfield)" : "")}, " +
                $"the scan answered {btf.MemberByteOffset(structName, BtfKind.Struct, m.Groups[1].Value)?.ToString() ?? "none"}");
        }
        Assert.Null(btf.MemberByteOffset(structName, BtfKind.Struct, "no_such_member"));
        Assert.Null(btf.MemberByteOffset("no_such_struct_here", BtfKind.Struct, "aux"));
        Assert.Throws<ArgumentOutOfRangeException>(() => btf.MemberByteOffset(structName, BtfKind.Int, "aux"));
    }

    [GeneratedRegex(@"^\t'([^']+)' type_id=\d+ bits_offset=(\d+)( bitfield_size=\d+)?$", RegexOptions.Multiline)]
    private static partial Regex MemberLine();

    [GeneratedRegex(@"^\[(\d+)\] (TYPEDEF|FUNC|VAR|STRUCT|UNION|ENUM|ENUM64|INT|FUNC_PROTO|FWD|DATASEC|FLOAT|DECL_TAG) '([^']+)'", RegexOptions.Multiline)]
    private static partial Regex DumpLine();
}
