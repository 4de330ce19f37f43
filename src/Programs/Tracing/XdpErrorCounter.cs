using CpuMap.Managed.Elf.Btf;
using CpuMap.Managed.Loader;
using CpuMap.Managed.Syscalls.Maps;
using CpuMap.Managed.Syscalls;
using CpuMap.Managed.Programs.Bytecode;

namespace CpuMap.Managed.Programs.Tracing;

/// <summary>XDP error events on one CPU.</summary>
/// <param name="RedirectErrors">Redirects that failed (xdp:xdp_redirect_err, and xdp_redirect_map_err where the kernel has it).</param>
/// <param name="Exceptions">XDP_ABORTED or an invalid action, where the driver reports it (xdp:xdp_exception).</param>
public readonly record struct XdpErrorCounters(ulong RedirectErrors, ulong Exceptions)
{
    /// <summary>Counter by counter difference (counters only grow: later − earlier).</summary>
    public static XdpErrorCounters operator -(XdpErrorCounters a, XdpErrorCounters b) => new(a.RedirectErrors - b.RedirectErrors, a.Exceptions - b.Exceptions);

    /// <summary>Counter by counter sum.</summary>
    public static XdpErrorCounters operator +(XdpErrorCounters a, XdpErrorCounters b) => new(a.RedirectErrors + b.RedirectErrors, a.Exceptions + b.Exceptions);
}

/// <summary>
/// <see cref="XdpErrorProgram"/> loaded for each tracepoint, with the maps: <see cref="Attach"/>, then read the
/// redirect errors and exceptions of one XDP program (or of all), per CPU.
/// </summary>
public sealed class XdpErrorCounter : IDisposable
{
    private readonly List<LinkFd> _links = [];

    private XdpErrorCounter(MapFd errors, MapFd progId, ProgFd redirectErr, ProgFd exception, uint filter)
    {
        Errors = errors;
        ProgId = progId;
        RedirectErrProgram = redirectErr;
        ExceptionProgram = exception;
        ProgramId = filter;
    }

    /// <summary>xdp_errors: PERCPU_ARRAY, key 0 redirect errors, key 1 exceptions.</summary>
    public MapFd Errors { get; }

    /// <summary>xdp_prog_id: the XDP program id counted (0: all).</summary>
    public MapFd ProgId { get; }

    /// <summary>The program for xdp:xdp_redirect_err (and xdp_redirect_map_err).</summary>
    public ProgFd RedirectErrProgram { get; }

    /// <summary>The program for xdp:xdp_exception.</summary>
    public ProgFd ExceptionProgram { get; }

    /// <summary>The XDP program whose events count, or 0 for every program's.</summary>
    public uint ProgramId { get; }

    /// <summary>Whether <see cref="Attach"/> holds the links.</summary>
    public bool IsAttached => _links.Count > 0;

    /// <summary>
    /// Creates the maps and loads the programs, counting only XDP program <paramref name="programId"/>'s events (every
    /// program's when 0). Needs the kernel's BTF (/sys/kernel/btf/vmlinux) for where a bpf_prog keeps its id.
    /// </summary>
    public static XdpErrorCounter Load(uint programId = 0)
    {
        var (auxOffset, idOffset) = ProgIdOffsets();
        var errors = Bpf.MapCreate(BpfMapType.PercpuArray, sizeof(uint), sizeof(ulong), 2, name: XdpErrorProgram.ErrorsMap);
        MapFd? progId = null;
        ProgFd? redirectErr = null;
        try
        {
            progId = Bpf.MapCreate(BpfMapType.Array, sizeof(uint), sizeof(uint), 1, name: XdpErrorProgram.ProgIdMap);
            Bpf.MapUpdateElem(progId, 0u, programId);
            redirectErr = LoadProgram(XdpErrorProgram.RedirectErrorKey, errors, progId, auxOffset, idOffset);
            var exception = LoadProgram(XdpErrorProgram.ExceptionKey, errors, progId, auxOffset, idOffset);
            return new XdpErrorCounter(errors, progId, redirectErr, exception, programId);
        }
        catch
        {
            redirectErr?.Dispose();
            progId?.Dispose();
            errors.Dispose();
            throw;
        }
    }

    /// <summary>Attaches to the tracepoints until disposed. Idempotent.</summary>
    public XdpErrorCounter Attach()
    {
        if (IsAttached)
            return this;
        try
        {
            _links.Add(Bpf.RawTracepointOpen(RedirectErrProgram, XdpErrorProgram.RedirectErrTracepoint));
            _links.Add(Bpf.RawTracepointOpen(ExceptionProgram, XdpErrorProgram.ExceptionTracepoint));
            try
            {
                _links.Add(Bpf.RawTracepointOpen(RedirectErrProgram, XdpErrorProgram.RedirectMapErrTracepoint));
            }
            catch (BpfException e) when (e.Errno == Errno.ENOENT)
            {
                // Linux 6.x reports every failed redirect through xdp_redirect_err; older kernels had a second tracepoint.
            }
        }
        catch
        {
            Detach();
            throw;
        }
        return this;
    }

    /// <summary>Every CPU's counters, indexed by CPU number (0 for numbers that are not possible CPUs).</summary>
    public XdpErrorCounters[] ReadAll()
    {
        var errors = PerCpuArray<ulong>.Open(Errors);
        var redirect = errors.Get(XdpErrorProgram.RedirectErrorKey);
        var exceptions = errors.Get(XdpErrorProgram.ExceptionKey);
        return Enumerable.Range(0, redirect.Count).Select(cpu => new XdpErrorCounters(redirect[cpu], exceptions[cpu])).ToArray();
    }

    /// <summary>Detaches, and closes the programs and the maps.</summary>
    public void Dispose()
    {
        Detach();
        RedirectErrProgram.Dispose();
        ExceptionProgram.Dispose();
        Errors.Dispose();
        ProgId.Dispose();
    }

    private void Detach()
    {
        foreach (var link in _links)
            link.Dispose();
        _links.Clear();
    }

    private static ProgFd LoadProgram(uint key, MapFd errors, MapFd progId, short auxOffset, short idOffset) =>
        DslProgramLoader.Load(XdpErrorProgram.Build(key, auxOffset, idOffset),
            key == XdpErrorProgram.ExceptionKey ? XdpErrorProgram.ExceptionTracepoint : XdpErrorProgram.RedirectErrTracepoint,
            [errors, progId], type: BpfProgType.RawTracepoint);

    /// <summary>offsetof(struct bpf_prog, aux) and offsetof(struct bpf_prog_aux, id), from the running kernel's BTF.</summary>
    private static (short Aux, short Id) ProgIdOffsets()
    {
        var btf = KernelBtf.Vmlinux;
        return (MemberOffset(btf, "bpf_prog", "aux"), MemberOffset(btf, "bpf_prog_aux", "id"));
    }

    private static short MemberOffset(RawBtf btf, string structName, string member)
        => btf.MemberByteOffset(structName, BtfKind.Struct, member) is { } offset
            ? checked((short)offset)
            : throw new BpfOperationException(KernelBtf.Operation, $"The kernel's BTF ({KernelBtf.VmlinuxPath}) has no byte-aligned member {member} in struct " +
                                                  $"{structName}, needed to tell one XDP program's errors from another's.");
}
