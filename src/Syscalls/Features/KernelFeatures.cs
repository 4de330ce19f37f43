using CpuMap.Managed.Syscalls.Maps;

namespace CpuMap.Managed.Syscalls;

/// <summary>
/// The optional kernel features this toolchain gates on, each probed once with the smallest object that shows it
/// (a two-instruction program, a one-entry map, a BTF blob of a few types) and closed again at once.
/// `cpumap probe` lists them; code calls <see cref="KernelFeature.Require"/> before a step that needs one.
/// </summary>
public static unsafe class KernelFeatures
{
    /// <summary>r0 = XDP_DROP; exit.</summary>
    private static readonly byte[] XdpDrop = [0xb7, 0, 0, 0, 1, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0];

    /// <summary>XDP through BPF_LINK_CREATE, which detaches when its last fd closes (cpumap attach uses it).</summary>
    public static KernelFeature XdpLinks { get; } = new("XDP links (BPF_LINK_CREATE with BPF_XDP)", "5.9", ProbeXdpLinks);

    /// <summary>A program in a CPUMAP entry: the 8-byte bpf_cpumap_val and programs loaded for BPF_XDP_CPUMAP.</summary>
    public static KernelFeature CpuMapPrograms { get; } = new("programs in CPUMAP entries (BPF_XDP_CPUMAP)", "5.9", ProbeCpuMapPrograms);

    /// <summary>BPF_PROG_TEST_RUN with BPF_F_TEST_XDP_LIVE_FRAMES: frames really redirected, a traffic source without a NIC.</summary>
    public static KernelFeature LiveFrames { get; } = new("XDP live frames (BPF_F_TEST_XDP_LIVE_FRAMES)", "5.18", ProbeLiveFrames);

    /// <summary>BPF_BTF_LOAD itself.</summary>
    public static KernelFeature Btf { get; } = new("BTF (BPF_BTF_LOAD)", "4.18", () => ProbeBtf(BtfProbes.Int()));

    /// <summary>BTF_KIND_FUNC and BTF_KIND_FUNC_PROTO (func_info).</summary>
    public static KernelFeature BtfFunc { get; } = new("BTF functions (BTF_KIND_FUNC, BTF_KIND_FUNC_PROTO)", "5.0", () => ProbeBtf(BtfProbes.Func(global: false)));

    /// <summary>BTF_FUNC_GLOBAL linkage: global functions verified on their own.</summary>
    public static KernelFeature BtfGlobalFunc { get; } = new("BTF global functions (BTF_FUNC_GLOBAL)", "5.6", () => ProbeBtf(BtfProbes.Func(global: true)));

    /// <summary>BTF_KIND_VAR and BTF_KIND_DATASEC (global data described in BTF).</summary>
    public static KernelFeature BtfDatasec { get; } = new("BTF variables and data sections (BTF_KIND_VAR, BTF_KIND_DATASEC)", "5.2", () => ProbeBtf(BtfProbes.Datasec()));

    /// <summary>BTF_KIND_FLOAT.</summary>
    public static KernelFeature BtfFloat { get; } = new("BTF floats (BTF_KIND_FLOAT)", "5.13", () => ProbeBtf(BtfProbes.Float()));

    /// <summary>BTF_KIND_DECL_TAG.</summary>
    public static KernelFeature BtfDeclTag { get; } = new("BTF declaration tags (BTF_KIND_DECL_TAG)", "5.16", () => ProbeBtf(BtfProbes.DeclTag()));

    /// <summary>BTF_KIND_TYPE_TAG.</summary>
    public static KernelFeature BtfTypeTag { get; } = new("BTF type tags (BTF_KIND_TYPE_TAG)", "5.17", () => ProbeBtf(BtfProbes.TypeTag()));

    /// <summary>BTF_KIND_ENUM64.</summary>
    public static KernelFeature BtfEnum64 { get; } = new("BTF 64-bit enums (BTF_KIND_ENUM64)", "6.0", () => ProbeBtf(BtfProbes.Enum64()));

    /// <summary>CO-RE relocations applied by the kernel at BPF_PROG_LOAD (core_relos), against its own BTF.</summary>
    public static KernelFeature KernelCoRe { get; } = new("CO-RE relocations applied by the kernel (core_relos in BPF_PROG_LOAD)", "5.17", ProbeKernelCoRe);

    /// <summary>Calls from BPF programs to kernel functions (BPF_PSEUDO_KFUNC_CALL).</summary>
    public static KernelFeature Kfuncs { get; } = new("kfunc calls (BPF_PSEUDO_KFUNC_CALL)", "5.13", ProbeKfuncs);

    /// <summary>Every feature, in the order `cpumap probe` lists them.</summary>
    public static IReadOnlyList<KernelFeature> All { get; } =
        [XdpLinks, CpuMapPrograms, LiveFrames, Btf, BtfFunc, BtfGlobalFunc, BtfDatasec, BtfFloat, BtfDeclTag, BtfTypeTag, BtfEnum64, KernelCoRe, Kfuncs];

    private static (FeatureState, string) ProbeXdpLinks()
    {
        // Native mode on loopback (ifindex 1 in every network namespace): loopback has no native XDP, so a kernel with
        // XDP links gets as far as the device and answers EOPNOTSUPP, attaching nothing. A kernel without them does not
        // know BPF_XDP as a link attach type and answers EINVAL.
        using var prog = Bpf.ProgLoad(BpfProgType.Xdp, XdpDrop);
        try
        {
            using var link = Bpf.LinkCreateXdp(prog, 1, XdpMode.Native);
            return (FeatureState.Available, "an XDP link was created on lo");
        }
        catch (BpfException e) when (e.Errno is Errno.EOPNOTSUPP or Errno.EBUSY or Errno.EEXIST)
        {
            return (FeatureState.Available, $"BPF_LINK_CREATE reached the device: {e.Errno.Name} for native XDP on lo");
        }
        catch (BpfException e) when (e.Errno == Errno.EINVAL)
        {
            return (FeatureState.Missing, "BPF_LINK_CREATE answered EINVAL to BPF_XDP");
        }
    }

    private static (FeatureState, string) ProbeCpuMapPrograms()
    {
        // The 8-byte value (qsize + program fd) and the BPF_XDP_CPUMAP attach type came together; creating the map needs
        // only CAP_BPF, where loading a program would also need CAP_NET_ADMIN.
        try
        {
            using var map = Bpf.MapCreate(BpfMapType.Cpumap, sizeof(uint), (uint)sizeof(BpfCpumapVal), 1);
            return (FeatureState.Available, "a CPUMAP with 8-byte values (qsize + program) was created");
        }
        catch (BpfException e) when (e.Errno == Errno.EINVAL)
        {
            return (FeatureState.Missing, $"{KernelNames.Of(e.Command)} answered EINVAL");
        }
    }

    private static (FeatureState, string) ProbeLiveFrames()
    {
        using var prog = Bpf.ProgLoad(BpfProgType.Xdp, XdpDrop);
        Span<byte> frame = stackalloc byte[64];
        frame.Clear();
        try
        {
            // The program drops the frame, so nothing leaves: the kernel only has to accept the flag.
            Bpf.ProgTestRun(prog, frame, repeat: 1, flags: BpfTestRunFlags.XdpLiveFrames);
            return (FeatureState.Available, "a live-frames test run of an XDP program succeeded");
        }
        catch (BpfException e) when (e.Errno is Errno.EINVAL or Errno.EOPNOTSUPP or Errno.ENOTSUPP)
        {
            return (FeatureState.Missing, $"BPF_PROG_TEST_RUN answered {e.Errno.Name} to BPF_F_TEST_XDP_LIVE_FRAMES");
        }
    }

    private static (FeatureState, string) ProbeBtf(byte[] blob)
    {
        fixed (byte* p = blob)
        {
            var attr = new BtfLoadAttr { Btf = (ulong)p, BtfSize = (uint)blob.Length };
            return Answer(Interop.Bpf(BpfCommand.BtfLoad, ref attr), "BPF_BTF_LOAD accepted it", "BPF_BTF_LOAD refused it",
                () => BpfErrors.Denied(BpfCommand.BtfLoad));
        }
    }

    private static (FeatureState, string) ProbeKernelCoRe()
    {
        // A kernel that does not know core_relo_rec_size finds a non-zero byte past the attributes it knows and answers
        // E2BIG (bpf_check_uarg_tail_zero); one that does accepts zero relocations of the 16-byte record size.
        fixed (byte* insns = XdpDrop)
        fixed (byte* license = "GPL\0"u8)
        {
            var attr = new ProgLoadAttr
            {
                ProgType = BpfProgType.Xdp,
                InsnCnt = (uint)(XdpDrop.Length / 8),
                Insns = (ulong)insns,
                License = (ulong)license,
                CoreReloRecSize = 16,
            };
            return Answer(Interop.Bpf(BpfCommand.ProgLoad, ref attr), "BPF_PROG_LOAD accepted core_relo_rec_size",
                "BPF_PROG_LOAD refused core_relo_rec_size", () => BpfErrors.DeniedLoad(BpfProgType.Xdp));
        }
    }

    /// <summary>What a raw bpf(2) probe call answered: an fd (closed at once), or the errno it left.</summary>
    private static (FeatureState, string) Answer(int fd, string accepted, string refused, Func<string> denied)
    {
        if (fd >= 0)
        {
            Interop.Close(fd);
            return (FeatureState.Available, accepted);
        }
        var errno = Errno.Last;
        return errno is Errno.EPERM or Errno.EACCES
            ? (FeatureState.Unknown, $"the probe was refused ({errno.Name}): {denied()}")
            : (FeatureState.Missing, $"{refused} ({errno.Name})");
    }

    private static (FeatureState, string) ProbeKfuncs()
    {
        // call kfunc with BTF id 0; r0 = XDP_PASS; exit. A kernel with kfunc calls looks the id up in its BTF and says
        // so in the log ("kernel btf_id 0 is not a function"); one without refuses the call instruction before that.
        byte[] program = [0x85, 0x20, 0, 0, 0, 0, 0, 0, 0xb7, 0, 0, 0, 2, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0];
        try
        {
            using var prog = Bpf.ProgLoad(BpfProgType.Xdp, program, logLevel: 1);
            return (FeatureState.Available, "a kfunc call loaded");
        }
        catch (BpfVerifierException e) when (e.VerifierLog.Contains("kernel btf_id", StringComparison.Ordinal)
                                             || e.VerifierLog.Contains("kernel function", StringComparison.Ordinal))
        {
            return (FeatureState.Available, "the verifier looked the kfunc's BTF id up");
        }
        catch (BpfException e) when (e.Errno is Errno.EINVAL or Errno.EACCES)
        {
            return (FeatureState.Missing, $"BPF_PROG_LOAD refused the call instruction ({e.Errno.Name})");
        }
    }
}
