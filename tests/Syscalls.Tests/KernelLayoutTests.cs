using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using CpuMap.Managed.Syscalls.Maps;
using CpuMap.Managed.Testing;

namespace CpuMap.Managed.Syscalls.Tests;

/// <summary>
/// Compiles a C program that prints offsetof/sizeof of every field of the kernel structs and the
/// value of every enum constant, and compares them with the managed definitions. Structs and
/// enums come from the running kernel's own BTF (bpftool's vmlinux.h), so fields newer than the
/// distribution's uapi header (log_true_size, 6.4) are checked too; the #define flags, which BTF
/// does not carry, from the uapi header linux/bpf.h.
/// </summary>
public class KernelLayoutTests
{
    /// <summary>Managed struct → (C type, C member prefix inside it).</summary>
    private static readonly (Type Managed, string CType, string Prefix)[] Structs =
    [
        (typeof(MapCreateAttr), "union bpf_attr", ""),
        (typeof(MapElemAttr), "union bpf_attr", ""),
        (typeof(MapBatchAttr), "union bpf_attr", "batch."),
        (typeof(ProgLoadAttr), "union bpf_attr", ""),
        (typeof(ObjPinAttr), "union bpf_attr", ""),
        (typeof(InfoByFdAttr), "union bpf_attr", "info."),
        (typeof(GetIdAttr), "union bpf_attr", ""),
        (typeof(LinkCreateAttr), "union bpf_attr", "link_create."),
        (typeof(LinkDetachAttr), "union bpf_attr", "link_detach."),
        (typeof(RawTracepointOpenAttr), "union bpf_attr", "raw_tracepoint."),
        (typeof(TestRunAttr), "union bpf_attr", "test."),
        (typeof(BtfLoadAttr), "union bpf_attr", ""),
        (typeof(BpfMapInfo), "struct bpf_map_info", ""),
        (typeof(BpfProgInfo), "struct bpf_prog_info", ""),
        (typeof(BpfLinkInfo), "struct bpf_link_info", ""),
        (typeof(BpfBtfInfo), "struct bpf_btf_info", ""),
        (typeof(BpfCpumapVal), "struct bpf_cpumap_val", ""),
    ];

    /// <summary>Fields whose C name is not the snake_case of the managed name.</summary>
    private static readonly Dictionary<string, string?> FieldNames = new()
    {
        ["ObjPinAttr.BpfFd"] = "bpf_fd",
        ["BpfProgInfo.Bitfields"] = null, // gpl_compatible:1 has no offsetof; checked by the next field's offset
        ["BpfLinkInfo.XdpIfindex"] = "xdp.ifindex",
        ["BpfCpumapVal.BpfProgFd"] = "bpf_prog.fd",
        ["BpfCpumapVal.BpfProgId"] = "bpf_prog.id",
    };

    /// <summary>Enum → C constant prefix; each member's C name is the prefix plus its UPPER_SNAKE name.</summary>
    private static readonly (Type Enum, string Prefix)[] KernelEnums =
    [
        (typeof(BpfCommand), "BPF_"),
        (typeof(BpfMapType), "BPF_MAP_TYPE_"),
        (typeof(BpfProgType), "BPF_PROG_TYPE_"),
        (typeof(BpfAttachType), "BPF_"),
        (typeof(BpfLinkType), "BPF_LINK_TYPE_"),
        (typeof(XdpAction), "XDP_"),
    ];

    private static readonly (Type Enum, string Prefix)[] UapiFlags =
    [
        (typeof(BpfMapFlags), "BPF_F_"),
        (typeof(BpfProgFlags), "BPF_F_"),
        (typeof(BpfTestRunFlags), "BPF_F_TEST_"),
        (typeof(BpfFileFlags), "BPF_F_"),
        (typeof(XdpAttachFlags), "XDP_FLAGS_"),
        (typeof(BpfUpdateFlags), ""),
    ];

    private static readonly Dictionary<string, string> FlagNames = new()
    {
        ["BpfUpdateFlags.Any"] = "BPF_ANY",
        ["BpfUpdateFlags.NoExist"] = "BPF_NOEXIST",
        ["BpfUpdateFlags.Exist"] = "BPF_EXIST",
        ["BpfUpdateFlags.Lock"] = "BPF_F_LOCK",
    };

    [Fact]
    public void Struct_fields_match_the_running_kernel()
    {
        Kernel.RequireTool("gcc");
        var bpftool = FindBpftool();
        if (!File.Exists("/sys/kernel/btf/vmlinux"))
            Kernel.Unavailable("the kernel exposes no BTF at /sys/kernel/btf/vmlinux (CONFIG_DEBUG_INFO_BTF)");
        using var dir = new TempDir();
        File.WriteAllText(Path.Combine(dir.Path, "vmlinux.h"), Shell.Run(bpftool, "btf", "dump", "file", "/sys/kernel/btf/vmlinux", "format", "c"));

        var c = new StringBuilder("#include \"vmlinux.h\"\nint printf(const char *, ...);\nint main(void) {\n");
        var expected = new Dictionary<string, (long Offset, long Size)>();
        foreach (var (managed, ctype, prefix) in Structs)
        {
            long end = 0;
            foreach (var field in managed.GetFields(BindingFlags.Public | BindingFlags.Instance))
            {
                var key = $"{managed.Name}.{field.Name}";
                var offset = (long)Marshal.OffsetOf(managed, field.Name);
                var size = (long)SizeOf(field.FieldType);
                end = Math.Max(end, offset + size);
                if (FieldNames.TryGetValue(key, out var cname) && cname is null)
                    continue;
                var member = prefix + (cname ?? KernelNames.ToUpperSnake(field.Name).ToLowerInvariant());
                expected[key] = (offset, size);
                c.Append($"  printf(\"field {key} %zu %zu\\n\", __builtin_offsetof({ctype}, {member}), sizeof((({ctype} *)0)->{member}));\n");
            }
            // A managed struct may stop before the kernel's, never run past it, and has no slack of its own.
            c.Append($"  printf(\"size {managed.Name} %zu\\n\", sizeof({ctype}));\n");
            Assert.True(SizeOf(managed) - end < 8, $"{managed.Name} is {SizeOf(managed)} bytes but its fields end at {end}");
        }
        foreach (var (type, prefix) in KernelEnums)
            AppendEnum(c, type, prefix, null);
        c.Append("  return 0;\n}\n");

        var output = CompileAndRun(dir.Path, c.ToString(), []);
        var sizes = new Dictionary<string, long>();
        var checkedFields = 0;
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ');
            switch (parts[0])
            {
                case "size":
                    sizes[parts[1]] = long.Parse(parts[2]);
                    continue;
                case "enum":
                    CompareEnum(parts);
                    continue;
            }
            var (offset, size) = expected[parts[1]];
            Assert.True((offset, size) == (long.Parse(parts[2]), long.Parse(parts[3])),
                $"{parts[1]}: managed offset {offset} size {size}, kernel offset {parts[2]} size {parts[3]}");
            checkedFields++;
        }
        foreach (var (managed, _, _) in Structs)
            Assert.True(SizeOf(managed) <= sizes[managed.Name],
                $"{managed.Name} is {SizeOf(managed)} bytes, larger than the kernel's {sizes[managed.Name]}");
        Assert.True(SizeOf(typeof(BpfCpumapVal)) == sizes[nameof(BpfCpumapVal)]);
        Assert.True(checkedFields > 100, $"only {checkedFields} fields were compared");
    }

    [Fact]
    public void Flag_values_match_the_uapi_header()
    {
        Kernel.RequireTool("gcc");
        if (!File.Exists("/usr/include/linux/bpf.h"))
            Kernel.Unavailable("the kernel uapi headers are not installed (apt-get install linux-libc-dev)");
        using var dir = new TempDir();
        var c = new StringBuilder("#include <stdio.h>\n#include <linux/bpf.h>\n#include <linux/if_link.h>\nint main(void) {\n");
        c.Append($"  printf(\"enum BPF_OBJ_NAME_LEN %lld {BpfObjName.Length}\\n\", (long long)BPF_OBJ_NAME_LEN);\n");
        foreach (var (type, prefix) in UapiFlags)
            AppendEnum(c, type, prefix, FlagNames);
        c.Append("  return 0;\n}\n");
        var output = CompileAndRun(dir.Path, c.ToString(), []);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var line in lines)
            CompareEnum(line.Split(' '));
        Assert.True(lines.Length > 25);
    }

    private static void AppendEnum(StringBuilder c, Type type, string prefix, Dictionary<string, string>? names)
    {
        foreach (var name in Enum.GetNames(type))
        {
            if (name == "None")
                continue;
            var cname = names is not null && names.TryGetValue($"{type.Name}.{name}", out var n) ? n : prefix + KernelNames.ToUpperSnake(name);
            var value = Convert.ToUInt64(Enum.Parse(type, name));
            c.Append($"  printf(\"enum {cname} %lld {value}\\n\", (long long){cname});\n");
        }
    }

    private static void CompareEnum(string[] parts)
        => Assert.True(parts[2] == parts[3], $"{parts[1]}: kernel value {parts[2]}, managed value {parts[3]}");

    private static string CompileAndRun(string dir, string source, string[] flags)
    {
        var cfile = Path.Combine(dir, "layout.c");
        var exe = Path.Combine(dir, "layout");
        File.WriteAllText(cfile, source);
        Shell.Run("gcc", [.. flags, "-w", "-o", exe, cfile]);
        return Shell.Run(exe);
    }

    private static string FindBpftool()
    {
        foreach (var candidate in new[] { "/usr/sbin/bpftool", "/usr/local/sbin/bpftool" })
            if (File.Exists(candidate))
                return candidate;
        return Kernel.RequireTool("bpftool");
    }

    private static int SizeOf(Type type)
    {
        if (type.IsEnum)
            type = Enum.GetUnderlyingType(type);
        return (int)typeof(Unsafe).GetMethod(nameof(Unsafe.SizeOf))!.MakeGenericMethod(type).Invoke(null, null)!;
    }
}
