using CpuMap.Managed.Syscalls;

namespace CpuMap.Managed.Cli.Commands;

/// <summary>Kernel enum values as the kernel's headers spell them, for printing.</summary>
internal static class ObjectKernelNames
{
    public static string MapType(uint type) =>
        Enum.IsDefined((BpfMapType)type) && type != 0
            ? "BPF_MAP_TYPE_" + KernelNames.ToUpperSnake(((BpfMapType)type).ToString())
            : $"unknown map type {type}";

    public static string MapFlags(uint flags) => FlagNames(flags, bit => Enum.IsDefined((BpfMapFlags)bit) ? "BPF_F_" + KernelNames.ToUpperSnake(((BpfMapFlags)bit).ToString()) : null);

    public static string ProgFlags(BpfProgFlags flags) => FlagNames((uint)flags, bit => Enum.IsDefined((BpfProgFlags)bit) ? "BPF_F_" + KernelNames.ToUpperSnake(((BpfProgFlags)bit).ToString()) : null);

    private static string FlagNames(uint flags, Func<uint, string?> name)
    {
        if (flags == 0)
            return "0";
        var names = new List<string>();
        for (var bit = 1u; bit != 0; bit <<= 1)
            if ((flags & bit) != 0)
                names.Add(name(bit) ?? $"0x{bit:x}");
        return string.Join("|", names);
    }
}
