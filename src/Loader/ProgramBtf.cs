using System.Buffers.Binary;
using CpuMap.Managed.Elf;
using CpuMap.Managed.Elf.Btf;
using CpuMap.Managed.Syscalls;

namespace CpuMap.Managed.Loader;

/// <summary>
/// An object's BTF in the kernel for its programs (BPF_BTF_LOAD once per object load), and what
/// each linked program gives BPF_PROG_LOAD with it: func_info and line_info moved to instruction
/// indexes of the linked program, and the CO-RE relocations for the kernel to apply (Linux 5.17+).
/// Maps stay BTF-less. When the kernel refuses the BTF and no program needs it, the programs load
/// without it and <see cref="Warning"/> says so; when CO-RE relocations need it, the load fails.
/// </summary>
internal sealed class ProgramBtf : IDisposable
{
    internal const uint FuncInfoSize = 8, LineInfoSize = 16, CoreReloSize = 16;

    // The kernel (and libbpf) poison an instruction whose CO-RE relocation failed with a call to this helper id (0xbad2310).
    private const int PoisonHelper = 0xbad2310;

    private readonly BpfObject _object;

    private ProgramBtf(BpfObject bpfObject, BtfFd? fd, string? warning)
    {
        _object = bpfObject;
        Fd = fd;
        Warning = warning;
    }

    /// <summary>The loaded BTF, or null when the object has none to give or the kernel refused it.</summary>
    public BtfFd? Fd { get; }

    /// <summary>Why the programs load without BTF when the object has it, or null.</summary>
    public string? Warning { get; }

    /// <summary>Loads the object's BTF when it has func_info, line_info or CO-RE relocations.</summary>
    public static ProgramBtf Load(BpfObject bpfObject)
    {
        var ext = bpfObject.BtfExt;
        if (bpfObject.Btf is null || ext is null || ext.Sections.Count == 0)
            return new ProgramBtf(bpfObject, null, null);
        var coreRelos = ext.CoreReloCount;
        if (coreRelos > 0 && KernelFeatures.KernelCoRe.State == FeatureState.Missing)
            throw new BpfLoadException(bpfObject.Name, null, null,
                $"it has {coreRelos} CO-RE relocation(s), which this loader has the kernel apply; this kernel cannot: it lacks " +
                $"{KernelFeatures.KernelCoRe.Name} ({KernelFeatures.KernelCoRe.Detail}), in mainline Linux since {KernelFeatures.KernelCoRe.Since}. " +
                "Run on a newer kernel, or rebuild the object without CO-RE (no preserve_access_index, BPF_CORE_READ or bpf_core_* builtins)");
        try
        {
            return new ProgramBtf(bpfObject, LoadFixed(bpfObject), null);
        }
        catch (Exception e) when (e is BpfException or BpfLoadException)
        {
            if (coreRelos > 0)
                throw new BpfLoadException(bpfObject.Name, null, null,
                    $"its {coreRelos} CO-RE relocation(s) need the object's BTF in the kernel, which could not be loaded, and cannot be dropped " +
                    $"without reading wrong fields{(e is BpfLoadException fixup ? $" ({fixup.Message})" : "")}", e as BpfException);
            return new ProgramBtf(bpfObject, null,
                $"{bpfObject.Name}: loading the programs without BTF, which the kernel did not take ({Reason(e)}): verifier errors show no " +
                "source lines, and global functions are verified as if they were static");
        }
    }

    /// <summary>
    /// The object's BTF as it is, fixed up; only when the kernel refuses that are its BTF kinds probed (seven
    /// tiny BPF_BTF_LOADs, once per process) and the kinds it lacks replaced: a current kernel pays for no probe.
    /// </summary>
    private static BtfFd LoadFixed(BpfObject bpfObject)
    {
        var whole = ProgramBtfFixup.ForKernel(bpfObject, BtfKindSupport.All);
        try
        {
            return Bpf.BtfLoad(whole);
        }
        catch (BtfLoadException) when (BtfKindSupport.Kernel != BtfKindSupport.All)
        {
            return Bpf.BtfLoad(ProgramBtfFixup.ForKernel(bpfObject, BtfKindSupport.Kernel));
        }
    }

    /// <summary>Why the BTF did not load, on one line: the kernel's last BTF log line names the type and the cause.</summary>
    private static string Reason(Exception e) => e switch
    {
        BtfLoadException refused when LastLine(refused.BtfLog) is { Length: > 0 } line => $"BPF_BTF_LOAD answered {refused.Errno.Name}: {line}",
        BpfException refused => $"BPF_BTF_LOAD answered {refused.Errno.Name}: {refused.Hint}",
        _ => e.Message,
    };

    private static string LastLine(string text)
    {
        var trimmed = text.AsSpan().TrimEnd();
        return trimmed[(trimmed.LastIndexOf('\n') + 1)..].Trim().ToString();
    }

    /// <summary>The BTF part of BPF_PROG_LOAD for <paramref name="linked"/>, or null to load without.</summary>
    public ProgLoadBtf? For(BpfProgram program, LinkedProgram linked)
    {
        var relos = CoreRelos(linked);
        if (Fd is null)
            return null;
        var (funcs, lines) = Records(linked);
        if (funcs.Length == 0 && lines.Length == 0)
        {
            if (relos.Count > 0)
                throw new BpfLoadException(_object.Name, null, program.Name,
                    $"it has {relos.Count} CO-RE relocation(s), which the kernel reads only with func_info or line_info, and the object's .BTF.ext " +
                    "does not cover every function it links; rebuild the object with clang -g");
            return null;
        }
        var relocations = new List<byte>(relos.Count * (int)CoreReloSize);
        foreach (var (relo, insnOff) in relos)
            Add(relocations, (uint)insnOff, relo.TypeId, relo.AccessStrOff, (uint)relo.Kind);
        return new ProgLoadBtf(Fd, funcs, FuncInfoSize, lines, LineInfoSize, relocations.ToArray(), CoreReloSize);
    }

    /// <summary>
    /// The func_info and line_info records of <paramref name="linked"/>, insn_off its slots. The kernel takes func_info
    /// only for every function, and line_info only with one at each function's start: either is empty otherwise.
    /// </summary>
    internal static (byte[] FuncInfo, byte[] LineInfo) Records(LinkedProgram linked)
    {
        var everyFunc = true;
        var everyLine = true;
        foreach (var function in linked.Functions)
        {
            everyFunc &= linked.Metadata[function.Index]?.Func is not null;
            everyLine &= linked.Metadata[function.Index]?.Line is not null;
        }
        var funcs = new List<byte>();
        var lines = new List<byte>();
        for (var i = 0; i < linked.Metadata.Length; i++)
        {
            if (linked.Metadata[i] is not { } metadata)
                continue;
            var slot = (uint)linked.SlotOf(i);
            if (everyFunc && metadata.Func is { } func)
                Add(funcs, slot, func.TypeId);
            if (everyLine && metadata.Line is { } line)
                Add(lines, slot, line.FileNameOff, line.LineOff, line.LineCol);
        }
        return (funcs.ToArray(), lines.ToArray());
    }

    /// <summary>
    /// When the verifier refused the program at an instruction the kernel poisoned because a CO-RE
    /// relocation could not be satisfied, which relocation it was and what to do; else null.
    /// </summary>
    public string? Explain(LinkedProgram linked, BpfVerifierException refusal)
    {
        var relos = CoreRelos(linked);
        var log = refusal.VerifierLog;
        if (relos.Count == 0 || (!log.Contains("CO-RE", StringComparison.Ordinal) && !log.Contains($"unknown#{PoisonHelper}", StringComparison.Ordinal)))
            return null;
        var failed = new List<string>();
        foreach (var insn in PoisonedInstructions(log))
        {
            foreach (var (relo, insnOff) in relos)
                if (insnOff == insn * 8)
                    failed.Add($"instruction {insn}: {CoreReloDescription.Describe(_object.Btf!, relo)}, and this kernel has no {CoreReloDescription.Missing(relo)}");
        }
        var which = failed.Count > 0
            ? string.Join("; ", failed.Distinct())
            : $"one of its {relos.Count} CO-RE relocation(s): " + string.Join("; ", relos.Select(r => CoreReloDescription.Describe(_object.Btf!, r.Relo)));
        return $"a CO-RE relocation cannot be satisfied against the running kernel's BTF: {which}. The kernel then replaces the instruction " +
               $"with a call to the invalid helper {PoisonHelper} (\"invalid func unknown#{PoisonHelper}\", \"<invalid CO-RE relocation>\"), which the " +
               "verifier refuses. Guard the access with bpf_core_field_exists() or bpf_core_type_exists(), or use a field this kernel has";
    }

    /// <summary>Every CO-RE relocation of <paramref name="linked"/>, with its byte offset in the linked program.</summary>
    private List<(BtfCoreRelo Relo, int InsnOff)> CoreRelos(LinkedProgram linked)
    {
        var relos = new List<(BtfCoreRelo, int)>();
        for (var i = 0; i < linked.Metadata.Length; i++)
            if (linked.Metadata[i]?.CoreRelocation is { } relo)
            {
                var insnOff = linked.SlotOf(i) * BpfAsm.Instruction.SlotSize;
                relos.Add((new BtfCoreRelo((uint)insnOff, relo.TypeId, relo.AccessStrOff, (BtfCoreReloKind)relo.Kind,
                    _object.Btf!.GetString(relo.AccessStrOff, BtfExt.SectionName, 0)), insnOff));
            }
        return relos;
    }

    public void Dispose() => Fd?.Dispose();

    private static void Add(List<byte> records, params uint[] fields)
    {
        Span<byte> word = stackalloc byte[4];
        foreach (var field in fields)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(word, field);
            records.AddRange(word);
        }
    }

    /// <summary>The instruction indexes of log lines "12: &lt;invalid CO-RE relocation&gt;" (Linux 6.x) or
    /// "12: (85) call unknown#195896080" (older verifiers). No Regex: it would add a large part of the AOT binary.</summary>
    private static List<int> PoisonedInstructions(string log)
    {
        var found = new List<int>();
        foreach (var line in log.Split('\n'))
        {
            var colon = line.IndexOf(": ", StringComparison.Ordinal);
            if (colon <= 0 || !int.TryParse(line.AsSpan(0, colon), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var insn))
                continue;
            var rest = line.AsSpan(colon + 2);
            if (rest.StartsWith("<invalid CO-RE relocation>", StringComparison.Ordinal) || rest.StartsWith($"(85) call unknown#{PoisonHelper}", StringComparison.Ordinal))
                found.Add(insn);
        }
        return found;
    }
}
