using System.Globalization;
using System.Text;

namespace BpfAsm;

/// <summary>
/// Prints instructions in the text <c>llvm-objdump-19 -d</c> prints for BPF, line for line, so a listing
/// reads like what people see everywhere else and <see cref="Assembler"/> can read it back.
/// llvm's text drops a few bits: a call's src_reg (a subprogram call with no relocation and a kfunc call
/// both read <c>call 0x5</c>, like a helper call), a <c>ld_pseudo</c>'s second imm and a BPF_IND load's imm.
/// With <see cref="DisassemblerOptions.Lossless"/> those print as <c>call pc+0x5</c> (the kernel verifier
/// log's form), <c>call kfunc 0x5</c>, a fourth <c>ld_pseudo</c> operand and <c>skb[r3 + 0x5]</c>, so every
/// listing reassembles to the same bytes.
/// </summary>
public static class Disassembler
{
    /// <summary>The text of one instruction (no index, bytes or jump annotation).</summary>
    public static string Format(Instruction instruction, DisassemblerOptions? options = null)
    {
        var sb = new StringBuilder(48);
        Append(sb, instruction, options ?? DisassemblerOptions.Default, relocated: false);
        return sb.ToString();
    }

    /// <summary>Disassembles a program section's bytes (throws <see cref="InvalidInstructionException"/> for bad bytes).</summary>
    public static string Disassemble(ReadOnlySpan<byte> section, DisassemblerOptions? options = null,
        IReadOnlyList<ListingSymbol>? symbols = null, IReadOnlyList<ListingRelocation>? relocations = null) =>
        Disassemble(Instruction.DecodeAll(section), options, symbols, relocations);

    /// <summary>
    /// The listing of <paramref name="instructions"/>: one line per instruction as llvm-objdump prints it
    /// (<c>index:\tbytes\ttext</c>), a <c>offset &lt;name&gt;:</c> header before each symbol, jump targets
    /// annotated with the nearest symbol, and relocation lines when <see cref="DisassemblerOptions.ShowRelocations"/>.
    /// </summary>
    public static string Disassemble(ReadOnlySpan<Instruction> instructions, DisassemblerOptions? options = null,
        IReadOnlyList<ListingSymbol>? symbols = null, IReadOnlyList<ListingRelocation>? relocations = null)
    {
        options ??= DisassemblerOptions.Default;
        symbols ??= [];
        relocations ??= [];
        var sortedSymbols = symbols.OrderBy(s => s.Offset).ToArray();
        var sortedRelocations = relocations.OrderBy(r => r.Offset).ToArray();
        var nextRelocation = 0;
        var sb = new StringBuilder(instructions.Length * 64);
        Span<byte> bytes = stackalloc byte[2 * Instruction.SlotSize];
        var slot = 0;
        foreach (var insn in instructions)
        {
            long offset = slot * Instruction.SlotSize;
            var size = insn.Slots * Instruction.SlotSize;
            foreach (var symbol in sortedSymbols)
            {
                if (symbol.Offset == offset)
                    sb.Append('\n').Append(offset.ToString("x16", CultureInfo.InvariantCulture)).Append(" <").Append(symbol.Name).Append(">:\n");
            }
            // Relocations are visited once, in offset order, alongside the instructions they patch.
            while (nextRelocation < sortedRelocations.Length && sortedRelocations[nextRelocation].Offset < offset)
                nextRelocation++;
            var firstRelocation = nextRelocation;
            while (nextRelocation < sortedRelocations.Length && sortedRelocations[nextRelocation].Offset < offset + size)
                nextRelocation++;
            var relocated = nextRelocation > firstRelocation;

            sb.Append(slot.ToString(CultureInfo.InvariantCulture).PadLeft(8)).Append(":\t");
            if (options.ShowRawInstructions)
            {
                insn.Encode(bytes);
                for (var i = 0; i < size; i++)
                    sb.Append(i == 0 ? "" : " ").Append(bytes[i].ToString("x2", CultureInfo.InvariantCulture));
                sb.Append('\t');
            }
            Append(sb, insn, options, relocated);
            if (insn.IsBranch && sortedSymbols.Length > 0)
                AppendTarget(sb, slot, insn, sortedSymbols);
            sb.Append('\n');
            if (options.ShowRelocations)
            {
                foreach (var r in sortedRelocations.AsSpan(firstRelocation, nextRelocation - firstRelocation))
                {
                    sb.Append("\t\t").Append(r.Offset.ToString("x16", CultureInfo.InvariantCulture)).Append(":  ");
                    if (r.Text is { } text)
                        sb.Append(text).Append('\n');
                    else
                        sb.Append(r.Type.ToString()).Append('\t').Append(r.Symbol).Append('\n');
                }
            }
            slot += insn.Slots;
        }
        return sb.ToString();
    }

    // llvm annotates a jump with the symbol at or before its target: <prog+0x28>, or <prog> on the symbol itself.
    private static void AppendTarget(StringBuilder sb, int slot, Instruction insn, ListingSymbol[] symbols)
    {
        long delta = insn.IsLongJump ? insn.Imm : insn.Offset;
        var target = unchecked((ulong)((slot + 1 + delta) * Instruction.SlotSize));
        ListingSymbol? best = null;
        foreach (var s in symbols)
            if ((ulong)s.Offset <= target)
                best = s;
        if (best is not { } sym)
            return;
        var rel = target - (ulong)sym.Offset;
        sb.Append(" <").Append(sym.Name);
        if (rel != 0)
            sb.Append("+0x").Append(rel.ToString("x", CultureInfo.InvariantCulture));
        sb.Append('>');
    }

    internal static void Append(StringBuilder sb, Instruction insn, DisassemblerOptions options, bool relocated)
    {
        switch (insn.Class)
        {
            case InstructionClass.Alu or InstructionClass.Alu64:
                AppendAlu(sb, insn);
                break;
            case InstructionClass.Jmp or InstructionClass.Jmp32:
                AppendJump(sb, insn, options.Lossless && !(relocated && options.ShowRelocations));
                break;
            case InstructionClass.Ld:
                AppendLd(sb, insn, options.Lossless);
                break;
            case InstructionClass.Ldx:
                var mode = (MemoryMode)(insn.Opcode & 0xe0);
                var size = (MemorySize)(insn.Opcode & 0x18);
                var signed = mode == MemoryMode.MemSx;
                sb.Append(Reg(insn.DstField, !signed && options.Alu32 && size != MemorySize.DW)).Append(" = *(")
                  .Append(SizeName(size, signed)).Append(" *)");
                AppendAddress(sb, insn.SrcField, insn.Offset, parenthesised: true);
                break;
            case InstructionClass.St:
                sb.Append("*(").Append(SizeName((MemorySize)(insn.Opcode & 0x18), false)).Append(" *)");
                AppendAddress(sb, insn.DstField, insn.Offset, parenthesised: true);
                sb.Append(" = ").Append(Hex(insn.Imm));
                break;
            default:
                AppendStx(sb, insn, options);
                break;
        }
    }

    private static void AppendAlu(StringBuilder sb, Instruction insn)
    {
        var is64 = insn.Class == InstructionClass.Alu64;
        var op = (AluOperation)(insn.Opcode & 0xf0);
        var x = (insn.Opcode & 0x08) != 0;
        var dst = Reg(insn.DstField, !is64);
        switch (op)
        {
            case AluOperation.Mov when x && insn.Offset == 1 && is64:
                sb.Append(dst).Append(" = addr_space_cast(").Append(Reg(insn.SrcField, false)).Append(", 0x")
                  .Append(((uint)insn.Imm >> 16).ToString("x", CultureInfo.InvariantCulture)).Append(", 0x")
                  .Append((insn.Imm & 0xffff).ToString("x", CultureInfo.InvariantCulture)).Append(')');
                return;
            case AluOperation.Mov when x && insn.Offset != 0:
                sb.Append(dst).Append(" = (s").Append(insn.Offset.ToString(CultureInfo.InvariantCulture)).Append(')').Append(Reg(insn.SrcField, !is64));
                return;
            case AluOperation.Mov:
                sb.Append(dst).Append(" = ").Append(x ? Reg(insn.SrcField, !is64) : Hex(insn.Imm));
                return;
            case AluOperation.Neg:
                sb.Append(dst).Append(" = -").Append(dst);
                return;
            case AluOperation.End:
                // llvm prints r registers for the 32-bit-class swaps too: the swap's width is in imm.
                var name = is64 ? "bswap" : x ? "be" : "le";
                sb.Append(Reg(insn.DstField, false)).Append(" = ").Append(name).Append(insn.Imm.ToString(CultureInfo.InvariantCulture))
                  .Append(' ').Append(Reg(insn.DstField, false));
                return;
        }
        var signed = insn.Offset == 1;
        var symbol = op switch
        {
            AluOperation.Add => "+=", AluOperation.Sub => "-=", AluOperation.Mul => "*=",
            AluOperation.Div => signed ? "s/=" : "/=", AluOperation.Mod => signed ? "s%=" : "%=",
            AluOperation.Or => "|=", AluOperation.And => "&=", AluOperation.Lsh => "<<=", AluOperation.Rsh => ">>=",
            AluOperation.Xor => "^=", _ => "s>>=",
        };
        sb.Append(dst).Append(' ').Append(symbol).Append(' ').Append(x ? Reg(insn.SrcField, !is64) : Hex(insn.Imm));
    }

    private static void AppendJump(StringBuilder sb, Instruction insn, bool showCallKind)
    {
        var is32 = insn.Class == InstructionClass.Jmp32;
        var op = (JumpOperation)(insn.Opcode & 0xf0);
        switch (op)
        {
            case JumpOperation.Ja when is32:
                sb.Append("gotol ").Append(Relative(insn.Imm));
                return;
            case JumpOperation.Ja:
                sb.Append("goto ").Append(Relative(insn.Offset));
                return;
            case JumpOperation.Exit:
                sb.Append("exit");
                return;
            case JumpOperation.Jcond:
                sb.Append("may_goto ").Append(Relative(insn.Offset));
                return;
            case JumpOperation.Call:
                switch ((CallKind)insn.SrcField)
                {
                    case CallKind.Subprogram when showCallKind:
                        sb.Append("call pc").Append(Relative(insn.Imm));
                        return;
                    case CallKind.Kfunc when showCallKind:
                        sb.Append("call kfunc ").Append(Hex(insn.Imm));
                        if (insn.Offset != 0)
                            sb.Append(", ").Append(Hex(insn.Offset));
                        return;
                    default:
                        sb.Append("call ").Append(Hex(insn.Imm));
                        return;
                }
        }
        var symbol = op switch
        {
            JumpOperation.Jeq => "==", JumpOperation.Jne => "!=", JumpOperation.Jgt => ">", JumpOperation.Jge => ">=",
            JumpOperation.Jlt => "<", JumpOperation.Jle => "<=", JumpOperation.Jsgt => "s>", JumpOperation.Jsge => "s>=",
            JumpOperation.Jslt => "s<", JumpOperation.Jsle => "s<=", _ => "&",
        };
        var x = (insn.Opcode & 0x08) != 0;
        sb.Append("if ").Append(Reg(insn.DstField, is32)).Append(' ').Append(symbol).Append(' ')
          .Append(x ? Reg(insn.SrcField, is32) : Hex(insn.Imm)).Append(" goto ").Append(Relative(insn.Offset));
    }

    private static void AppendLd(StringBuilder sb, Instruction insn, bool lossless)
    {
        if (insn.IsWide)
        {
            if (insn.SrcField == 0)
            {
                sb.Append(Reg(insn.DstField, false)).Append(" = ").Append(Hex(insn.Imm64)).Append(" ll");
                return;
            }
            sb.Append("ld_pseudo\t").Append(Reg(insn.DstField, false)).Append(", ").Append(Hex(insn.SrcField))
              .Append(", 0x").Append(((uint)insn.Imm).ToString("x", CultureInfo.InvariantCulture));
            if (lossless && insn.NextImm != 0)
                sb.Append(", 0x").Append(((uint)insn.NextImm).ToString("x", CultureInfo.InvariantCulture));
            return;
        }
        var mode = (MemoryMode)(insn.Opcode & 0xe0);
        sb.Append("r0 = *(").Append(SizeName((MemorySize)(insn.Opcode & 0x18), false)).Append(" *)skb[");
        if (mode == MemoryMode.Abs)
            sb.Append(Hex(insn.Imm));
        else if (insn.Imm == 0 || !lossless)
            sb.Append(Reg(insn.SrcField, false));
        else
            AppendAddress(sb, insn.SrcField, insn.Imm, parenthesised: false);
        sb.Append(']');
    }

    private static void AppendStx(StringBuilder sb, Instruction insn, DisassemblerOptions options)
    {
        var size = (MemorySize)(insn.Opcode & 0x18);
        var narrow = size != MemorySize.DW;
        var sizeName = SizeName(size, false);
        if ((MemoryMode)(insn.Opcode & 0xe0) == MemoryMode.Mem)
        {
            sb.Append("*(").Append(sizeName).Append(" *)");
            AppendAddress(sb, insn.DstField, insn.Offset, parenthesised: true);
            sb.Append(" = ").Append(Reg(insn.SrcField, narrow && options.Alu32));
            return;
        }
        var op = (AtomicOperation)insn.Imm;
        var src = Reg(insn.SrcField, narrow && (options.Alu32 || op != AtomicOperation.Add && op != AtomicOperation.Or && op != AtomicOperation.And && op != AtomicOperation.Xor));
        switch (op)
        {
            case AtomicOperation.Add or AtomicOperation.Or or AtomicOperation.And or AtomicOperation.Xor:
                sb.Append("lock *(").Append(sizeName).Append(" *)");
                AppendAddress(sb, insn.DstField, insn.Offset, parenthesised: true);
                sb.Append(' ').Append(op switch { AtomicOperation.Add => "+=", AtomicOperation.Or => "|=", AtomicOperation.And => "&=", _ => "^=" })
                  .Append(' ').Append(src);
                return;
            // llvm 20's syntax; llvm 19 predates these (Linux 6.15) and prints <unknown>.
            case AtomicOperation.LoadAcquire:
                sb.Append(Reg(insn.DstField, narrow)).Append(" = load_acquire((").Append(sizeName).Append(" *)");
                AppendAddress(sb, insn.SrcField, insn.Offset, parenthesised: true);
                sb.Append(')');
                return;
            case AtomicOperation.StoreRelease:
                sb.Append("store_release((").Append(sizeName).Append(" *)");
                AppendAddress(sb, insn.DstField, insn.Offset, parenthesised: true);
                sb.Append(", ").Append(Reg(insn.SrcField, narrow)).Append(')');
                return;
            case AtomicOperation.Xchg:
                sb.Append(src).Append(narrow ? " = xchg32_32(" : " = xchg_64(");
                AppendAddress(sb, insn.DstField, insn.Offset, parenthesised: false);
                sb.Append(", ").Append(src).Append(')');
                return;
            case AtomicOperation.Cmpxchg:
                var r0 = Reg(0, narrow);
                sb.Append(r0).Append(narrow ? " = cmpxchg32_32(" : " = cmpxchg_64(");
                AppendAddress(sb, insn.DstField, insn.Offset, parenthesised: false);
                sb.Append(", ").Append(r0).Append(", ").Append(src).Append(')');
                return;
            default:
                var name = op switch { AtomicOperation.FetchAdd => "add", AtomicOperation.FetchOr => "or", AtomicOperation.FetchAnd => "and", _ => "xor" };
                sb.Append(src).Append(" = atomic_fetch_").Append(name).Append("((").Append(sizeName).Append(" *)");
                AppendAddress(sb, insn.DstField, insn.Offset, parenthesised: true);
                sb.Append(", ").Append(src).Append(')');
                return;
        }
    }

    private static void AppendAddress(StringBuilder sb, int register, long offset, bool parenthesised)
    {
        if (parenthesised)
            sb.Append('(');
        sb.Append(Reg(register, false)).Append(offset < 0 ? " - 0x" : " + 0x")
          .Append(Math.Abs(offset).ToString("x", CultureInfo.InvariantCulture));
        if (parenthesised)
            sb.Append(')');
    }

    internal static string SizeName(MemorySize size, bool signed) => (signed ? "s" : "u") + size switch
    {
        MemorySize.B => "8", MemorySize.H => "16", MemorySize.W => "32", _ => "64",
    };

    private static string Reg(int number, bool is32) => (is32 ? "w" : "r") + number.ToString(CultureInfo.InvariantCulture);

    /// <summary>A signed hex number as llvm prints immediates: 0x5, -0x5.</summary>
    internal static string Hex(long value) => value < 0
        ? "-0x" + (0 - (ulong)value).ToString("x", CultureInfo.InvariantCulture)
        : "0x" + value.ToString("x", CultureInfo.InvariantCulture);

    /// <summary>A jump offset as llvm prints it: +0x5, -0x5, +0x0.</summary>
    private static string Relative(long value) => value < 0 ? Hex(value) : "+" + Hex(value);
}
