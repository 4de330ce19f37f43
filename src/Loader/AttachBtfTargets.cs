using CpuMap.Managed.Elf;
using CpuMap.Managed.Elf.Btf;
using CpuMap.Managed.Syscalls;

namespace CpuMap.Managed.Loader;

/// <summary>
/// attach_btf_id for the sections that attach by BTF id, found the way libbpf's find_attach_btf_id
/// does: the text after "SECTION/" names a kernel BTF type, prefixed for some attach types
/// (a tp_btf tracepoint is the TYPEDEF btf_trace_NAME; fentry/fexit/fmod_ret the FUNC itself).
/// </summary>
public static class AttachBtfTargets
{
    /// <summary>The kernel BTF type that <paramref name="section"/>'s target <c>NAME</c> is looked up as.</summary>
    /// <returns>The BTF kind and the name prefix (libbpf's BTF_TRACE_PREFIX, BTF_LSM_PREFIX, BTF_ITER_PREFIX).</returns>
    public static (BtfKind Kind, string Prefix) TypeOf(ProgramSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        if (!section.NeedsAttachBtfId)
            throw new ArgumentException($"Section '{section.Prefix}' ({section.ProgramTypeName}) does not attach by BTF id.", nameof(section));
        return section.ExpectedAttachType switch
        {
            BpfAttachType.TraceRawTp => (BtfKind.Typedef, "btf_trace_"),
            BpfAttachType.LsmMac => (BtfKind.Func, "bpf_lsm_"),
            BpfAttachType.TraceIter => (BtfKind.Func, "bpf_iter_"),
            _ => (BtfKind.Func, ""),
        };
    }

    /// <summary>
    /// The id in the running kernel's BTF (<see cref="KernelBtf.Vmlinux"/>, read on first use) of the type
    /// <paramref name="program"/>'s section names; a kernel without BTF throws <see cref="BpfLoadException"/> too.
    /// </summary>
    public static uint Find(string objectName, BpfProgram program, ProgramSection section)
    {
        ArgumentException.ThrowIfNullOrEmpty(objectName);
        ArgumentNullException.ThrowIfNull(program);
        RawBtf kernelBtf;
        try
        {
            kernelBtf = KernelBtf.Vmlinux;
        }
        catch (BpfOperationException e) when (e.Operation == KernelBtf.Operation)
        {
            throw new BpfLoadException(objectName, null, program.Name,
                $"section '{program.SectionName}' attaches by a kernel BTF id, which needs the kernel's BTF: {e.Message}", e);
        }
        return Find(objectName, program, section, kernelBtf);
    }

    /// <summary>
    /// The id in <paramref name="kernelBtf"/> of the type <paramref name="program"/>'s section names.
    /// A section without a target, or a target the kernel does not have, throws <see cref="BpfLoadException"/>.
    /// </summary>
    public static uint Find(string objectName, BpfProgram program, ProgramSection section, RawBtf kernelBtf)
    {
        ArgumentException.ThrowIfNullOrEmpty(objectName);
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(kernelBtf);
        var (kind, prefix) = TypeOf(section);
        var sectionName = program.SectionName;
        if (ProgramSections.Find(sectionName) != section)
            throw new ArgumentException(
                $"Section '{section.Prefix}' is not how program '{program.Name}' in section '{sectionName}' loads; pass BpfObjectSpec.SectionOf(program).",
                nameof(section));
        if (sectionName.Length <= section.Prefix.Length + 1)
            throw new BpfLoadException(objectName, null, program.Name,
                $"section '{sectionName}' names no attach target, so the kernel cannot tell what the program attaches to: " +
                $"name it in the section, e.g. SEC(\"{section.Prefix}/{Example(section)}\")");
        var target = sectionName[(section.Prefix.Length + 1)..];
        var typeName = prefix + target;
        if (kernelBtf.Find(typeName, kind) is { } id)
            return id;
        throw new BpfLoadException(objectName, null, program.Name,
            $"section '{sectionName}' attaches to '{target}', but the kernel's BTF ({KernelBtf.VmlinuxPath}) has no " +
            $"{kind.ToString().ToUpperInvariant()} '{typeName}': {Missing(section, target)} " +
            $"(list the candidates with: bpftool btf dump file {KernelBtf.VmlinuxPath} | grep \"{kind.ToString().ToUpperInvariant()} '{prefix}\"); " +
            "targets in kernel modules are not searched by this loader");
    }

    /// <summary>
    /// What to add to a BPF_PROG_LOAD refusal of <paramref name="section"/>'s program, or "". fentry,
    /// fexit, fmod_ret and lsm programs run through a BPF trampoline, which some kernels refuse even
    /// to root with EPERM (bpftool fails alike there): the "lacks privilege" hint alone would mislead.
    /// </summary>
    internal static string RefusalNote(ProgramSection section, BpfException e) =>
        e.Errno == Errno.EPERM && section.ExpectedAttachType is BpfAttachType.TraceFentry or BpfAttachType.TraceFexit
            or BpfAttachType.ModifyReturn or BpfAttachType.LsmMac
            ? $" (EPERM for a {section.Prefix}/ program, which runs through a BPF trampoline, also comes from kernels that " +
              "refuse trampolines to every user, e.g. through a security policy: if `bpftool prog load` fails alike as root, " +
              "the kernel refuses the program type, not its privileges)"
            : "";

    private static string Missing(ProgramSection section, string target) => section.ExpectedAttachType switch
    {
        BpfAttachType.TraceRawTp => $"this kernel has no tracepoint '{target}' (see /sys/kernel/tracing/available_events)",
        BpfAttachType.LsmMac => $"this kernel has no LSM hook '{target}'",
        BpfAttachType.TraceIter => $"this kernel has no BPF iterator '{target}'",
        _ => $"this kernel has no function '{target}', or it was inlined or is static and not in BTF",
    };

    private static string Example(ProgramSection section) => section.ExpectedAttachType switch
    {
        BpfAttachType.TraceRawTp => "sched_switch",
        BpfAttachType.LsmMac => "file_open",
        BpfAttachType.TraceIter => "task",
        _ => "do_nanosleep",
    };
}
