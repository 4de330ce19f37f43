using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using CpuMap.Managed;

namespace BpfAsm;

/// <summary>
/// The DSL: writes a program one C-like statement per call, with labels for jumps (forward and backward,
/// resolved by <see cref="Build"/>), maps referred to by name or by object (left for the loader to bind
/// to an fd, see <see cref="BpfProgram.References"/>), helper calls by <see cref="BpfHelper"/> and
/// BPF-to-BPF calls by label. Each emitting call records the caller's file and line (the compiler's
/// [CallerFilePath] and [CallerLineNumber]; leave those parameters out), which a loader gives the kernel as
/// line_info, so a verifier log shows the C# line above each instruction. With <c>using static BpfAsm.Register;</c>:
/// <code>
/// p.LoadMapFd(R1, "cpus_iterator");           // cpu_iterator = bpf_map_lookup_elem(&amp;cpus_iterator, &amp;key);
/// p.Mov(R2, R10).Add(R2, -4);
/// p.Call(BpfHelper.MapLookupElem);
/// p.JumpIf(R0 == 0, "aborted");               // if (!cpu_iterator) goto aborted;
/// </code>
/// </summary>
public sealed class ProgramBuilder
{
    private readonly List<Instruction> _instructions = [];
    private readonly List<int> _slots = [];
    private readonly List<SourceLine> _sources = [];
    private readonly List<SymbolReference> _references = [];
    private readonly List<ListingSymbol> _symbols = [];
    private readonly Dictionary<string, int> _labels = new(StringComparer.Ordinal);
    private readonly List<(int Index, string Label)> _fixups = [];
    private int _slot;

    /// <summary>A builder; <paramref name="name"/> (the program's function name) heads its listing.</summary>
    public ProgramBuilder(string? name = null)
    {
        if (name != null)
            Subprogram(name);
    }

    /// <summary>Slots emitted so far (64-bit loads count two).</summary>
    public int SlotCount => _slot;

    /// <summary>Appends any instruction as it is; <paramref name="file"/> and <paramref name="line"/> are the caller's unless given.</summary>
    public ProgramBuilder Emit(Instruction instruction, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentOutOfRangeException.ThrowIfNegative(line);
        _instructions.Add(instruction);
        _sources.Add(new SourceLine(file, line));
        _slots.Add(_slot);
        _slot += instruction.Slots;
        return this;
    }

    /// <summary>Places label <paramref name="name"/> at the next instruction.</summary>
    public ProgramBuilder Label(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!_labels.TryAdd(name, _instructions.Count))
            throw new ArgumentException($"label '{name}' is already placed at instruction {SlotOf(_labels[name])}; each label marks one place", nameof(name));
        return this;
    }

    /// <summary>Places label <paramref name="name"/> and names it as a function (a BPF-to-BPF call target) in the listing.</summary>
    public ProgramBuilder Subprogram(string name)
    {
        Label(name);
        _symbols.Add(new ListingSymbol(name, (long)_slot * Instruction.SlotSize));
        return this;
    }

    // ---- ALU: dst op= src. The register view picks 32- or 64-bit (w → BPF_ALU, r → BPF_ALU64). ----

    /// <summary><c>dst = src</c>.</summary>
    public ProgramBuilder Mov(Register dst, Register src, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Emit(Instruction.Alu(AluOperation.Mov, dst, src), file, line);
    /// <summary><c>dst = imm</c>.</summary>
    public ProgramBuilder Mov(Register dst, int imm, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Emit(Instruction.Alu(AluOperation.Mov, dst, imm), file, line);
    /// <summary><c>dst += src</c>.</summary>
    public ProgramBuilder Add(Register dst, Register src, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Emit(Instruction.Alu(AluOperation.Add, dst, src), file, line);
    /// <summary><c>dst += imm</c>.</summary>
    public ProgramBuilder Add(Register dst, int imm, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Emit(Instruction.Alu(AluOperation.Add, dst, imm), file, line);
    /// <summary><c>dst -= src</c>.</summary>
    public ProgramBuilder Sub(Register dst, Register src, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Emit(Instruction.Alu(AluOperation.Sub, dst, src), file, line);
    /// <summary><c>dst -= imm</c>.</summary>
    public ProgramBuilder Sub(Register dst, int imm, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Emit(Instruction.Alu(AluOperation.Sub, dst, imm), file, line);
    /// <summary><c>dst *= src</c>.</summary>
    public ProgramBuilder Mul(Register dst, Register src, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Emit(Instruction.Alu(AluOperation.Mul, dst, src), file, line);
    /// <summary><c>dst *= imm</c>.</summary>
    public ProgramBuilder Mul(Register dst, int imm, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Emit(Instruction.Alu(AluOperation.Mul, dst, imm), file, line);
    /// <summary><c>dst /= src</c>, unsigned.</summary>
    public ProgramBuilder Div(Register dst, Register src, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Emit(Instruction.Alu(AluOperation.Div, dst, src), file, line);
    /// <summary><c>dst /= imm</c>, unsigned.</summary>
    public ProgramBuilder Div(Register dst, int imm, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Emit(Instruction.Alu(AluOperation.Div, dst, imm), file, line);
    /// <summary><c>dst %= src</c>, unsigned.</summary>
    public ProgramBuilder Mod(Register dst, Register src, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Emit(Instruction.Alu(AluOperation.Mod, dst, src), file, line);
    /// <summary><c>dst %= imm</c>, unsigned.</summary>
    public ProgramBuilder Mod(Register dst, int imm, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Emit(Instruction.Alu(AluOperation.Mod, dst, imm), file, line);
    /// <summary><c>dst s/= src</c>: signed (<c>off</c> 1, Linux 6.6).</summary>
    public ProgramBuilder SignedDiv(Register dst, Register src, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Emit(Instruction.AluSigned(AluOperation.Div, dst, src), file, line);
    /// <summary><c>dst s/= imm</c>: signed (<c>off</c> 1, Linux 6.6).</summary>
    public ProgramBuilder SignedDiv(Register dst, int imm, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Emit(Instruction.AluSigned(AluOperation.Div, dst, imm), file, line);
    /// <summary><c>dst s%= src</c>: signed (<c>off</c> 1, Linux 6.6).</summary>
    public ProgramBuilder SignedMod(Register dst, Register src, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Emit(Instruction.AluSigned(AluOperation.Mod, dst, src), file, line);
    /// <summary><c>dst s%= imm</c>: signed (<c>off</c> 1, Linux 6.6).</summary>
    public ProgramBuilder SignedMod(Register dst, int imm, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Emit(Instruction.AluSigned(AluOperation.Mod, dst, imm), file, line);
    /// <summary><c>dst |= src</c>.</summary>
    public ProgramBuilder Or(Register dst, Register src, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Emit(Instruction.Alu(AluOperation.Or, dst, src), file, line);
    /// <summary><c>dst |= imm</c>.</summary>
    public ProgramBuilder Or(Register dst, int imm, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Emit(Instruction.Alu(AluOperation.Or, dst, imm), file, line);
    /// <summary><c>dst &amp;= src</c>.</summary>
    public ProgramBuilder And(Register dst, Register src, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Emit(Instruction.Alu(AluOperation.And, dst, src), file, line);
    /// <summary><c>dst &amp;= imm</c>.</summary>
    public ProgramBuilder And(Register dst, int imm, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Emit(Instruction.Alu(AluOperation.And, dst, imm), file, line);
    /// <summary><c>dst ^= src</c>.</summary>
    public ProgramBuilder Xor(Register dst, Register src, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Emit(Instruction.Alu(AluOperation.Xor, dst, src), file, line);
    /// <summary><c>dst ^= imm</c>.</summary>
    public ProgramBuilder Xor(Register dst, int imm, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Emit(Instruction.Alu(AluOperation.Xor, dst, imm), file, line);
    /// <summary><c>dst &lt;&lt;= src</c>.</summary>
    public ProgramBuilder Lsh(Register dst, Register src, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Emit(Instruction.Alu(AluOperation.Lsh, dst, src), file, line);
    /// <summary><c>dst &lt;&lt;= imm</c>.</summary>
    public ProgramBuilder Lsh(Register dst, int imm, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Emit(Instruction.Alu(AluOperation.Lsh, dst, imm), file, line);
    /// <summary><c>dst &gt;&gt;= src</c>, logical.</summary>
    public ProgramBuilder Rsh(Register dst, Register src, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Emit(Instruction.Alu(AluOperation.Rsh, dst, src), file, line);
    /// <summary><c>dst &gt;&gt;= imm</c>, logical.</summary>
    public ProgramBuilder Rsh(Register dst, int imm, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Emit(Instruction.Alu(AluOperation.Rsh, dst, imm), file, line);
    /// <summary><c>dst s&gt;&gt;= src</c>: arithmetic shift, sign-filling.</summary>
    public ProgramBuilder Arsh(Register dst, Register src, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Emit(Instruction.Alu(AluOperation.Arsh, dst, src), file, line);
    /// <summary><c>dst s&gt;&gt;= imm</c>: arithmetic shift, sign-filling.</summary>
    public ProgramBuilder Arsh(Register dst, int imm, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Emit(Instruction.Alu(AluOperation.Arsh, dst, imm), file, line);
    /// <summary><c>dst = -dst</c>.</summary>
    public ProgramBuilder Neg(Register dst, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Emit(Instruction.Neg(dst), file, line);

    /// <summary><c>dst = (s8|s16|s32)src</c>.</summary>
    public ProgramBuilder MovSx(Register dst, Register src, int bits, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Emit(Instruction.MovSx(dst, src, bits), file, line);

    /// <summary><c>dst = bpf_htons/htonl/cpu_to_be64(dst)</c>: <c>be16</c>, <c>be32</c>, <c>be64</c>.</summary>
    public ProgramBuilder ToBigEndian(Register dst, int bits, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Emit(Instruction.ByteSwap(dst, BpfAsm.ByteSwap.ToBigEndian, bits), file, line);

    /// <summary><c>dst = le16/le32/le64(dst)</c>: a no-op on little-endian hosts except that le16 and le32 zero the upper bits.</summary>
    public ProgramBuilder ToLittleEndian(Register dst, int bits, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Emit(Instruction.ByteSwap(dst, BpfAsm.ByteSwap.ToLittleEndian, bits), file, line);

    /// <summary><c>dst = bswap16/32/64(dst)</c>, unconditional.</summary>
    public ProgramBuilder ByteSwap(Register dst, int bits, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Emit(Instruction.ByteSwap(dst, BpfAsm.ByteSwap.Unconditional, bits), file, line);

    /// <summary><c>dst = value ll</c>: a 64-bit constant (two slots), or with <paramref name="source"/> a pseudo value (BTF id, fd_array index...).</summary>
    public ProgramBuilder LoadImm64(Register dst, long value, PseudoSource source = PseudoSource.None, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Emit(Instruction.LoadImm64(dst, value, source), file, line);

    /// <summary>
    /// <c>dst = &amp;subprogram</c> (<c>BPF_PSEUDO_FUNC</c>): a callback for helpers such as <c>bpf_loop</c>
    /// or <c>bpf_for_each_map_elem</c>, resolved to the label's offset.
    /// </summary>
    public ProgramBuilder LoadFunction(Register dst, string subprogram, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Fixup(Instruction.LoadImm64(dst, 0, PseudoSource.Func), subprogram, file, line);

    // ---- memory ----

    /// <summary><c>dst = *(size *)(base + off)</c>; a sign-extending operand (<see cref="Mem.S32"/>) makes BPF_MEMSX.</summary>
    public ProgramBuilder Load(Register dst, MemoryOperand source, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Emit(source.SignExtend
        ? Instruction.LoadSignExtend(source.Size, dst, source.Base, source.Offset)
        : Instruction.Load(source.Size, dst, source.Base, source.Offset), file, line);

    /// <summary><c>*(size *)(base + off) = src</c>.</summary>
    public ProgramBuilder Store(MemoryOperand target, Register src, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Emit(Instruction.Store(NoSignExtend(target), target.Base, target.Offset, src), file, line);

    /// <summary><c>*(size *)(base + off) = imm</c>.</summary>
    public ProgramBuilder Store(MemoryOperand target, int imm, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Emit(Instruction.Store(NoSignExtend(target), target.Base, target.Offset, imm), file, line);

    /// <summary>An atomic on a u32 or u64 (<c>__sync_fetch_and_add</c> and friends); for cmpxchg r0 holds the expected value.</summary>
    public ProgramBuilder Atomic(AtomicOperation op, MemoryOperand target, Register src, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Emit(Instruction.Atomic(NoSignExtend(target), op, target.Base, target.Offset, src), file, line);

    // ---- maps and global data ----

    /// <summary><c>dst = &amp;map</c> by map name; the loader binds the name to an fd.</summary>
    public ProgramBuilder LoadMapFd(Register dst, string mapName, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Reference(dst, ReferenceKind.MapFd, mapName, null, 0, file, line);

    /// <summary><c>dst = &amp;map</c> by the caller's own map object, which the loader binds to an fd.</summary>
    public ProgramBuilder LoadMapFd(Register dst, object map, string? name = null, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Reference(dst, ReferenceKind.MapFd, name ?? map?.ToString() ?? "", map ?? throw new ArgumentNullException(nameof(map)), 0, file, line);

    /// <summary>
    /// <c>dst = &amp;value + offset</c> of a one-entry array map (global data such as a <c>const volatile</c>
    /// setting), loaded directly as <c>BPF_PSEUDO_MAP_VALUE</c>: no lookup call, no null check.
    /// </summary>
    public ProgramBuilder LoadMapValue(Register dst, string mapName, int offset = 0, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Reference(dst, ReferenceKind.MapValue, mapName, null, offset, file, line);

    /// <summary>As <see cref="LoadMapValue(Register, string, int, string, int)"/>, by the caller's map object.</summary>
    public ProgramBuilder LoadMapValue(Register dst, object map, int offset = 0, string? name = null, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Reference(dst, ReferenceKind.MapValue, name ?? map?.ToString() ?? "", map ?? throw new ArgumentNullException(nameof(map)), offset, file, line);

    // ---- control flow ----

    /// <summary><c>call helper</c>: arguments in r1..r5, result in r0; r1..r5 are clobbered, r6..r9 kept.</summary>
    public ProgramBuilder Call(BpfHelper helper, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Emit(Instruction.Call(helper), file, line);

    /// <summary>A BPF-to-BPF call of the subprogram at label <paramref name="subprogram"/>.</summary>
    public ProgramBuilder Call(string subprogram, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Fixup(Instruction.Call(CallKind.Subprogram, -1), subprogram, file, line);

    /// <summary>A kfunc call by the kernel function's BTF id (and the fd_array index of its module's BTF, 0 for vmlinux).</summary>
    public ProgramBuilder CallKfunc(int btfId, short btfFdIndex = 0, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Emit(Instruction.Call(CallKind.Kfunc, btfId, btfFdIndex), file, line);

    /// <summary><c>goto label</c> (16-bit offset).</summary>
    public ProgramBuilder Goto(string label, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Fixup(Instruction.Jump(0), label, file, line);

    /// <summary><c>gotol label</c> (32-bit offset), for targets more than 32767 instructions away.</summary>
    public ProgramBuilder GotoLong(string label, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Fixup(Instruction.JumpLong(0), label, file, line);

    /// <summary><c>if (condition) goto label</c>, e.g. <c>JumpIf(R0 == 0, "out")</c> or <c>JumpIf(W1.Signed &lt; W2, "out")</c>.</summary>
    public ProgramBuilder JumpIf(Condition condition, string label, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Fixup(Instruction.JumpIf(condition, 0), label, file, line);

    /// <summary><c>may_goto label</c>: taken once the kernel's loop budget is spent.</summary>
    public ProgramBuilder MayGoto(string label, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Fixup(Instruction.MayGoto(0), label, file, line);

    /// <summary><c>exit</c>: returns r0 to the caller.</summary>
    public ProgramBuilder Exit([CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Emit(Instruction.Exit(), file, line);

    /// <summary><c>return value;</c>: <c>w0 = value; exit</c>.</summary>
    public ProgramBuilder Return(int value, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Mov(Register.W0, value, file, line).Exit(file, line);

    /// <summary>
    /// <c>return action;</c> of an XDP program, e.g. <c>Return(XdpAction.Pass)</c>. Other program types return plain
    /// numbers (a tracepoint's 0, a socket filter's length), so those take <see cref="Return(int, string, int)"/>.
    /// </summary>
    public ProgramBuilder Return(XdpAction action, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Return((int)action, file, line);

    /// <summary>
    /// Resolves every jump and call to its label and returns the program. Throws
    /// <see cref="InvalidOperationException"/> naming the label for an undefined label or a jump too far for 16 bits.
    /// </summary>
    public BpfProgram Build()
    {
        var instructions = _instructions.ToArray();
        foreach (var (index, label) in _fixups)
        {
            if (!_labels.TryGetValue(label, out var target))
                throw new InvalidOperationException(
                    $"instruction {_slots[index]} ('{Disassembler.Format(instructions[index])}') jumps to label '{label}', which is never placed; call Label(\"{label}\") where it should land");
            var targetSlot = target < _slots.Count ? _slots[target] : _slot;
            instructions[index] = Jumps.Retarget(instructions[index], _slots[index], targetSlot, label, out var error)
                ?? throw new InvalidOperationException(error);
        }
        return new BpfProgram([.. instructions], [.. _references], [.. _symbols], [.. _sources]);
    }

    private ProgramBuilder Fixup(Instruction instruction, string label, string file, int line)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(label);
        _fixups.Add((_instructions.Count, label));
        return Emit(instruction, file, line);
    }

    private ProgramBuilder Reference(Register dst, ReferenceKind kind, string name, object? target, int offset, string file, int line)
    {
        if (dst.Is32)
            throw new ArgumentException($"a map address is 64 bits: load it into {dst.R64}, not {dst}", nameof(dst));
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _references.Add(new SymbolReference(_instructions.Count, _slot, kind, name, target, offset));
        // Left as an ELF object carries it before relocation (a global's offset in imm, else 0), so the
        // listing reads like clang's; the loader's linker writes the fd.
        return Emit(Instruction.LoadImm64(dst, kind == ReferenceKind.MapValue ? (uint)offset : 0), file, line);
    }

    private static MemorySize NoSignExtend(MemoryOperand operand)
    {
        if (operand.SignExtend)
            throw new ArgumentException($"{operand} sign-extends, which only loads do: use Mem.U{(operand.Size == MemorySize.B ? 8 : operand.Size == MemorySize.H ? 16 : 32)} to store", nameof(operand));
        return operand.Size;
    }

    private int SlotOf(int index) => index < _slots.Count ? _slots[index] : _slot;
}
