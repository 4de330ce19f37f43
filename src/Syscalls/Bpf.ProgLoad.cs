using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;

namespace CpuMap.Managed.Syscalls;

public static unsafe partial class Bpf
{
    /// <summary>The size of one BPF instruction (struct bpf_insn).</summary>
    public const int InstructionSize = 8;

    /// <summary>The kernel's license buffer in bpf_prog_load: char license[128].</summary>
    private const int MaxLicenseLength = 128;

    /// <summary>The first verifier log buffer; enough for most failures of small programs.</summary>
    private const int InitialLogSize = 64 * 1024;

    /// <summary>The kernel refuses log_size above UINT_MAX >> 2; stop growing well before.</summary>
    private const int MaxLogSize = 256 * 1024 * 1024;

    /// <summary>
    /// BPF_PROG_LOAD. On failure the load is repeated with a verifier log (unless one was asked
    /// for), and <see cref="BpfVerifierException"/> carries it.
    /// </summary>
    /// <param name="type">The program type.</param>
    /// <param name="instructions">The instructions, 8 bytes each (struct bpf_insn), little-endian.</param>
    /// <param name="license">The license; GPL-only helpers need a GPL-compatible one.</param>
    /// <param name="expectedAttachType">E.g. <see cref="BpfAttachType.XdpCpumap"/> for a CPUMAP entry's program.</param>
    /// <param name="flags">prog_flags, e.g. <see cref="BpfProgFlags.XdpHasFrags"/>.</param>
    /// <param name="name">Up to 15 characters: letters, digits, '_' and '.'.</param>
    /// <param name="logLevel">1 or 2 for a verifier log on success too (<see cref="ProgFd.VerifierLog"/>), 0 for none.</param>
    /// <param name="ifindex">prog_ifindex, for device-bound (offloaded) programs; 0 otherwise.</param>
    /// <param name="attachBtfId">attach_btf_id, for programs that attach by BTF id (BPF_PROG_TYPE_TRACING, LSM, EXT):
    /// the id of the target in the kernel's BTF (/sys/kernel/btf/vmlinux), or in <paramref name="attachBtfObj"/> or
    /// <paramref name="attachProg"/> when given; 0 for none.</param>
    /// <param name="attachProg">attach_prog_fd: the BPF program whose function <paramref name="attachBtfId"/> names
    /// (fentry/fexit/freplace of a BPF program), or null.</param>
    /// <param name="attachBtfObj">attach_btf_obj_fd: a kernel module's BTF object (BPF_BTF_GET_FD_BY_ID) that
    /// <paramref name="attachBtfId"/> is an id in, or null for vmlinux.</param>
    /// <param name="btf">The program's BTF with func_info, line_info and CO-RE relocations, or null to load without BTF.</param>
    public static ProgFd ProgLoad(BpfProgType type, ReadOnlySpan<byte> instructions, string license = "GPL",
        BpfAttachType? expectedAttachType = null, BpfProgFlags flags = BpfProgFlags.None, string? name = null,
        uint logLevel = 0, uint ifindex = 0, uint attachBtfId = 0, ProgFd? attachProg = null, SafeHandle? attachBtfObj = null,
        ProgLoadBtf? btf = null)
    {
        if (type == BpfProgType.Unspec || !Enum.IsDefined(type))
            throw new ArgumentOutOfRangeException(nameof(type), type,
                $"'{type}' is not a program type this library knows; pick a BpfProgType member such as {nameof(BpfProgType.Xdp)}.");
        if (instructions.IsEmpty || instructions.Length % InstructionSize != 0)
            throw new ArgumentException(
                $"instructions is {instructions.Length} bytes; a program is one or more 8-byte instructions (struct bpf_insn), " +
                "so the length must be a positive multiple of 8.", nameof(instructions));
        ArgumentNullException.ThrowIfNull(license);
        if (license.Length == 0)
            throw new ArgumentException(
                "The license is empty. The kernel reads an empty license as not GPL-compatible, as it reads any other " +
                "non-GPL string (libbpf passes one for an object without a \"license\" section): pass 1 to " +
                $"{MaxLicenseLength - 1} ASCII characters, e.g. \"Proprietary\" for that meaning, or \"GPL\" to use GPL-only helpers.",
                nameof(license));
        if (license.Length >= MaxLicenseLength || license.Contains('\0') || !Ascii.IsValid(license))
            throw new ArgumentException(
                $"The license '{license}' must be 1 to {MaxLicenseLength - 1} ASCII characters without NUL (the kernel reads at most " +
                $"{MaxLicenseLength - 1}), e.g. \"GPL\" or \"Dual BSD/GPL\".", nameof(license));
        if (logLevel > 2)
            throw new ArgumentOutOfRangeException(nameof(logLevel), logLevel,
                "The verifier log level is 0 (none), 1 (the path that failed) or 2 (every instruction); stats (4) are not supported here.");
        // attach_prog_fd and attach_btf_obj_fd are one field of bpf_attr (a union): the kernel tries it as a program first.
        if (attachProg is not null && attachBtfObj is not null)
            throw new ArgumentException(
                $"Give {nameof(attachProg)} (a BPF program's function) or {nameof(attachBtfObj)} (a module's BTF), not both: " +
                "they share one field of bpf_attr (attach_prog_fd / attach_btf_obj_fd).", nameof(attachBtfObj));
        if ((attachProg is not null || attachBtfObj is not null) && attachBtfId == 0)
            throw new ArgumentException(
                $"{(attachProg is not null ? nameof(attachProg) : nameof(attachBtfObj))} was given without {nameof(attachBtfId)}: " +
                "pass the BTF id of the function to attach to inside that program or BTF object.", nameof(attachBtfId));
        if (attachBtfObj is not null && (attachBtfObj.IsInvalid || attachBtfObj.IsClosed))
            throw new ObjectDisposedException(nameof(attachBtfObj),
                $"The BTF object handle passed as '{nameof(attachBtfObj)}' is closed or invalid; keep it open until the load returns.");

        Span<byte> licenseBytes = stackalloc byte[license.Length + 1];
        Encoding.ASCII.GetBytes(license, licenseBytes);
        licenseBytes[^1] = 0;

        var addedProg = false;
        var addedBtfObj = false;
        var addedBtf = false;
        try
        {
            var btfFd = btf is not null ? BpfFd.AddRef(btf.Btf, ref addedBtf, nameof(btf)) : 0;
            var attachFd = attachProg is not null ? BpfFd.AddRef(attachProg, ref addedProg, nameof(attachProg)) : 0;
            if (attachBtfObj is not null)
            {
                attachBtfObj.DangerousAddRef(ref addedBtfObj);
                attachFd = (int)attachBtfObj.DangerousGetHandle();
            }
            return ProgLoadCore(type, instructions, licenseBytes, expectedAttachType, flags, name, logLevel, ifindex, attachBtfId, attachFd, btf, btfFd);
        }
        finally
        {
            if (addedBtf)
                btf!.Btf.DangerousRelease();
            if (addedProg)
                attachProg!.DangerousRelease();
            if (addedBtfObj)
                attachBtfObj!.DangerousRelease();
        }
    }

    private static ProgFd ProgLoadCore(BpfProgType type, ReadOnlySpan<byte> instructions, ReadOnlySpan<byte> licenseBytes,
        BpfAttachType? expectedAttachType, BpfProgFlags flags, string? name, uint logLevel, uint ifindex, uint attachBtfId, int attachFd,
        ProgLoadBtf? btf, int btfFd)
    {
        fixed (byte* insns = instructions)
        fixed (byte* lic = licenseBytes)
        fixed (byte* funcInfo = btf is null ? default : btf.FuncInfo.Span)
        fixed (byte* lineInfo = btf is null ? default : btf.LineInfo.Span)
        fixed (byte* coreRelos = btf is null ? default : btf.CoreRelos.Span)
        {
            var attr = new ProgLoadAttr
            {
                ProgType = type,
                InsnCnt = (uint)(instructions.Length / InstructionSize),
                Insns = (ulong)insns,
                License = (ulong)lic,
                ProgFlags = flags,
                ProgName = BpfObjName.From(name, nameof(name)),
                ProgIfindex = ifindex,
                ExpectedAttachType = expectedAttachType ?? 0,
                AttachBtfId = attachBtfId,
                AttachProgFd = attachFd,
            };
            if (btf is not null)
            {
                attr.ProgBtfFd = btfFd;
                attr.FuncInfoCnt = btf.Count(btf.FuncInfo, btf.FuncInfoRecSize, nameof(btf.FuncInfo));
                attr.FuncInfoRecSize = attr.FuncInfoCnt == 0 ? 0 : btf.FuncInfoRecSize;
                attr.FuncInfo = (ulong)funcInfo;
                attr.LineInfoCnt = btf.Count(btf.LineInfo, btf.LineInfoRecSize, nameof(btf.LineInfo));
                attr.LineInfoRecSize = attr.LineInfoCnt == 0 ? 0 : btf.LineInfoRecSize;
                attr.LineInfo = (ulong)lineInfo;
                attr.CoreReloCnt = btf.Count(btf.CoreRelos, btf.CoreReloRecSize, nameof(btf.CoreRelos));
                // A kernel before 5.17 does not know core_relo_rec_size: leave it 0 when there are none, so such a kernel loads the rest.
                attr.CoreReloRecSize = attr.CoreReloCnt == 0 ? 0 : btf.CoreReloRecSize;
                attr.CoreRelos = (ulong)coreRelos;
            }
            string? log = null;
            var fd = logLevel == 0 ? Interop.Bpf(BpfCommand.ProgLoad, ref attr) : RunWithLog(BpfCommand.ProgLoad, ref attr, logLevel, out log);
            if (fd < 0)
            {
                var errno = Errno.Last;
                // A failure without a log is repeated once with one: the log is the only useful answer.
                if (log is null && errno is Errno.EACCES or Errno.EINVAL)
                {
                    fd = RunWithLog(BpfCommand.ProgLoad, ref attr, 1, out log);
                    errno = fd < 0 ? Errno.Last : 0;
                }
                if (fd < 0)
                {
                    if (errno == Errno.EPERM)
                        BpfErrors.Throw(BpfCommand.ProgLoad, errno, BpfErrors.DeniedLoad(type));
                    if (log is null)
                        BpfErrors.Throw(BpfCommand.ProgLoad, errno);
                    throw new BpfVerifierException(errno, ProgLoadHint(errno, log), log);
                }
            }
            return AdoptProg(fd, new ProgLoadAttributes(expectedAttachType, flags), logLevel == 0 ? null : log);
        }
    }

    // The kernel replaces an instruction whose CO-RE relocation failed with a call to helper 0xbad2310.
    private const string CoRePoison = "unknown#195896080";

    private const string CoReRefused =
        "a CO-RE relocation could not be satisfied against this kernel's BTF (a field, type or enum value it does not have), so the kernel " +
        "replaced its instruction with an invalid call: the log's \"relo #\" lines name the relocation.";

    /// <summary>
    /// The verifier ends a log of a program it accepted with "processed N insns"; an error after
    /// that comes from the checks the kernel makes once verification is done, which the log
    /// does not explain.
    /// </summary>
    private static string ProgLoadHint(Errno errno, string log)
        => log.Contains(CoRePoison, StringComparison.Ordinal) || log.Contains("<invalid CO-RE relocation>", StringComparison.Ordinal)
            ? CoReRefused
            : errno == Errno.EINVAL && log.AsSpan().TrimEnd().LastIndexOf('\n') is var nl &&
           log.AsSpan(nl + 1).TrimStart().StartsWith("processed ", StringComparison.Ordinal)
            ? BpfErrors.VerifiedButRefused
            : BpfErrors.Hint(BpfCommand.ProgLoad, errno);

    /// <summary>
    /// Runs <paramref name="command"/> with a kernel log at <paramref name="logLevel"/>, growing the buffer while the kernel
    /// answers ENOSPC: to the size it reports in log_true_size (Linux 6.4+), else doubling. Leaves errno as the last call
    /// left it, and the attributes without a log.
    /// </summary>
    internal static int RunWithLog<TAttr>(BpfCommand command, ref TAttr attr, uint logLevel, out string log) where TAttr : unmanaged, IKernelLogAttr
    {
        var size = InitialLogSize;
        while (true)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(size);
            try
            {
                fixed (byte* logBuf = buffer)
                {
                    buffer[0] = 0;
                    attr.SetLog(logLevel, (uint)buffer.Length, (ulong)logBuf);
                    var fd = Interop.Bpf(command, ref attr);
                    var errno = Errno.Last;
                    var written = buffer.AsSpan();
                    var end = written.IndexOf((byte)0);
                    log = Encoding.UTF8.GetString(end < 0 ? written : written[..end]);
                    var trueSize = attr.LogTrueSize;
                    attr.SetLog(0, 0, 0);
                    if (fd >= 0 || errno != Errno.ENOSPC || buffer.Length >= MaxLogSize)
                    {
                        Marshal.SetLastPInvokeError((int)errno);
                        return fd;
                    }
                    size = trueSize > buffer.Length ? (int)Math.Min(trueSize, (uint)MaxLogSize) : Math.Min(buffer.Length * 2, MaxLogSize);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>Takes ownership of a fresh program fd and reads its id; closes the fd if that fails.</summary>
    internal static ProgFd AdoptProg(int fd, ProgLoadAttributes? loadAttributes, string? verifierLog)
    {
        try
        {
            var info = default(BpfProgInfo);
            GetInfo(fd, ref info);
            return new ProgFd(fd, info.Type, info.Id, loadAttributes, verifierLog);
        }
        catch
        {
            Interop.Close(fd);
            throw;
        }
    }
}
