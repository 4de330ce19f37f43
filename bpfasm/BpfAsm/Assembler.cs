using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;

namespace BpfAsm;

/// <summary>
/// Reads llvm's BPF assembly text, as <see cref="Disassembler"/> and <c>llvm-objdump -d[r]</c> print it, back
/// into instructions: <c>Assemble(Disassemble(x))</c> gives x. It takes whole objdump listings (the index and
/// byte columns, symbol headers and jump annotations are skipped; relocation lines become
/// <see cref="SymbolReference"/>s) as well as hand-written text with labels (<c>goto out</c>, <c>out:</c>),
/// <c>call name</c> and <c>r1 = name ll</c>. Comments start with <c>;</c>, <c>#</c> or <c>//</c>.
/// Every error is an <see cref="AssemblyException"/> with line and column.
/// </summary>
public static partial class Assembler
{
    /// <summary>Assembles <paramref name="text"/>; <paramref name="sourceName"/> (a file name) prefixes error messages.</summary>
    public static BpfProgram Assemble(string text, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new AssemblerState(sourceName).Run(text);
    }

    [GeneratedRegex(@"^[0-9a-f]{16} <([^>]+)>:$")]
    internal static partial Regex SymbolHeader();

    [GeneratedRegex(@"^([0-9a-f]{16}):\s+(R_BPF_\w+)\s+(\S+)$")]
    internal static partial Regex RelocationLine();

    [GeneratedRegex(@"^\s*\d+:\s*")]
    internal static partial Regex IndexColumn();

    /// <summary>A CO-RE relocation line ("0000000000000000:  CO-RE &lt;byte_off&gt; [2] struct xdp_md::data_end (0:1)").</summary>
    [GeneratedRegex(@"^[0-9a-f]{16}:\s+CO-RE <\w+> \[\d+\] ")]
    internal static partial Regex CoreRelocationLine();

    [GeneratedRegex(@"^(?:[0-9a-f]{2} ){7}[0-9a-f]{2}(?: (?:[0-9a-f]{2} ){7}[0-9a-f]{2})?\t")]
    internal static partial Regex BytesColumn();

    [GeneratedRegex(@"\s*<[^<>]*>\s*$")]
    internal static partial Regex JumpAnnotation();

    [GeneratedRegex(@"^([A-Za-z_.$][\w.$]*):$")]
    internal static partial Regex LabelDefinition();

    [GeneratedRegex(@"^(\S+:\s+file format\s|Disassembly of section\s|\.[a-z_]+(\s|$))")]
    internal static partial Regex Boilerplate();
}

internal sealed class AssemblerState(string? source)
{
    private readonly List<Instruction> _instructions = [];
    private readonly List<int> _slots = [];
    private readonly List<SymbolReference> _references = [];
    private readonly List<ListingSymbol> _symbols = [];
    private readonly Dictionary<string, int> _labels = new(StringComparer.Ordinal);
    private readonly List<(int Index, string Label, int Line, int Column)> _fixups = [];
    private int _slot;
    private int _line;
    private List<Token> _tokens = [];
    private int _pos;

    public BpfProgram Run(string text)
    {
        var lines = text.Split('\n');
        for (_line = 1; _line <= lines.Length; _line++)
            ParseLine(lines[_line - 1].TrimEnd('\r'));
        foreach (var (index, label, line, column) in _fixups)
            Resolve(index, label, line, column);
        return new BpfProgram([.. _instructions], [.. _references], [.. _symbols]);
    }

    private void ParseLine(string line)
    {
        var end = CommentStart(line);
        var trimmed = line[..end].Trim();
        if (trimmed.Length == 0 || Assembler.Boilerplate().IsMatch(trimmed))
            return;
        if (trimmed == "...")
            throw Error(line.IndexOf("...", StringComparison.Ordinal) + 1, "llvm-objdump left out zero bytes here ('...'); disassemble with llvm-objdump -z to list them");
        if (Assembler.SymbolHeader().Match(trimmed) is { Success: true } header)
        {
            DefineLabel(header.Groups[1].Value, line.IndexOf('<') + 2);
            _symbols.Add(new ListingSymbol(header.Groups[1].Value, (long)_slot * Instruction.SlotSize));
            return;
        }
        if (Assembler.RelocationLine().Match(trimmed) is { Success: true } reloc)
        {
            AddRelocation(reloc, line);
            return;
        }
        // A CO-RE record names a type of the object's BTF for the loader, which comes from .BTF.ext, not from the
        // instructions: the bytes are whole without it, so the assembler reads past it.
        if (Assembler.CoreRelocationLine().IsMatch(trimmed))
            return;
        if (Assembler.LabelDefinition().Match(trimmed) is { Success: true } label)
        {
            DefineLabel(label.Groups[1].Value, line.IndexOf(label.Groups[1].Value, StringComparison.Ordinal) + 1);
            return;
        }
        var start = line.Length - line.TrimStart().Length;
        if (Assembler.IndexColumn().Match(line[..end]) is { Success: true } index)
            start = index.Length;
        if (Assembler.BytesColumn().Match(line[start..end]) is { Success: true } bytes)
            start += bytes.Length;
        // "goto +0x1 <prog+0x28>": llvm repeats a jump's target as an address; the offset is what counts.
        if (line.AsSpan(start, end - start).Contains("goto", StringComparison.Ordinal)
            && Assembler.JumpAnnotation().Match(line[start..end]) is { Success: true } annotation)
            end = start + annotation.Index;
        _tokens = AsmTokenizer.Tokenize(line, start, end, (col, msg) => Error(col, msg));
        _pos = 0;
        var insn = ParseInstruction();
        ExpectEnd();
        Add(insn);
    }

    private static readonly string[] CommentMarkers = [";", "#", "//"];

    private static int CommentStart(string line)
    {
        var end = line.Length;
        foreach (var marker in CommentMarkers)
        {
            var at = line.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0 && at < end)
                end = at;
        }
        return end;
    }

    private void Add(Instruction insn)
    {
        _instructions.Add(insn);
        _slots.Add(_slot);
        _slot += insn.Slots;
    }

    private void DefineLabel(string name, int column)
    {
        if (!_labels.TryAdd(name, _instructions.Count))
            throw Error(column, $"label '{name}' is defined twice (first at instruction {SlotOf(_labels[name])}); give each label its own name");
    }

    private void AddRelocation(Match reloc, string line)
    {
        var offset = long.Parse(reloc.Groups[1].Value, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        var column = line.IndexOf("R_BPF", StringComparison.Ordinal) + 1;
        if (!Enum.TryParse<BpfRelocationType>(reloc.Groups[2].Value, out var type) || !Enum.IsDefined(type))
            throw Error(column, $"unknown relocation type '{reloc.Groups[2].Value}': BPF objects use R_BPF_64_64 (on 64-bit loads) and R_BPF_64_32 (on calls)");
        var index = _slots.BinarySearch((int)(offset / Instruction.SlotSize));
        if (offset % Instruction.SlotSize != 0 || index < 0)
            throw Error(1, $"relocation at byte offset 0x{offset:x} does not start an instruction seen so far; a relocation line follows the instruction it patches");
        var insn = _instructions[index];
        var name = reloc.Groups[3].Value;
        switch (type)
        {
            case BpfRelocationType.R_BPF_64_64 when insn.IsWide:
                _references.Add(new SymbolReference(index, _slots[index], ReferenceKind.Symbol64, name));
                break;
            case BpfRelocationType.R_BPF_64_32 when insn.IsCall:
                // llvm emits every relocated call as BPF_PSEUDO_CALL; "call -0x1" alone reads as a helper call.
                if (insn.SrcField == (int)CallKind.Helper)
                    _instructions[index] = insn.WithSrcField((int)CallKind.Subprogram);
                _references.Add(new SymbolReference(index, _slots[index], ReferenceKind.Call, name));
                break;
            default:
                throw Error(column, $"{type} cannot apply to instruction {_slots[index]} ('{Disassembler.Format(insn)}'): R_BPF_64_64 goes on a 64-bit load, R_BPF_64_32 on a call");
        }
    }

    private void Resolve(int index, string label, int line, int column)
    {
        var insn = _instructions[index];
        if (!_labels.TryGetValue(label, out var target))
        {
            if (insn.IsCall)
            {
                // An outside function: left for the loader, as llvm leaves it (imm -1, BPF_PSEUDO_CALL).
                _references.Add(new SymbolReference(index, _slots[index], ReferenceKind.Call, label));
                return;
            }
            throw new AssemblyException(source, line, column, $"label '{label}' is not defined; define it with '{label}:' on a line of its own");
        }
        var targetSlot = SlotOf(target);
        _instructions[index] = Jumps.Retarget(insn, _slots[index], targetSlot, label, out var error)
            ?? throw new AssemblyException(source, line, column, error!);
    }

    /// <summary>The slot of instruction <paramref name="index"/>; a label after the last instruction points past the end.</summary>
    private int SlotOf(int index) => index < _slots.Count ? _slots[index] : _slot;

    // ---- the grammar: llvm's BPF assembly syntax ----

    private Instruction ParseInstruction()
    {
        var first = _tokens[_pos];
        if (first.Kind == TokenKind.Punctuation && first.Text == "*")
            return ParseStore();
        if (first.Kind != TokenKind.Identifier)
            throw Error(first.Column, $"expected an instruction, found '{first.Text}'");
        if (IsRegisterLike(first.Text))
            return ParseAssignment();
        _pos++;
        switch (first.Text)
        {
            case "exit":
                return Instruction.Exit();
            case "call":
                return ParseCall();
            case "callx":
                throw Error(first.Column, "'callx' (BPF_CALL | BPF_X) is not part of the kernel's instruction set; call helpers by id, subprograms by label");
            case "goto":
                return ParseJumpTarget(Instruction.Jump(0), allowLong: false);
            case "gotol":
                return ParseJumpTarget(Instruction.JumpLong(0), allowLong: true);
            case "may_goto":
                return ParseJumpTarget(Instruction.MayGoto(0), allowLong: false);
            case "if":
                return ParseConditionalJump();
            case "lock":
                return ParseLock();
            case "ld_pseudo":
                return ParseLdPseudo();
            case "store_release":
                return ParseStoreRelease();
            default:
                throw Error(first.Column, $"unknown instruction '{first.Text}': expected a register assignment (r1 = ...), a store (*(u32 *)(r1 + 0x0) = ...), if, goto, gotol, may_goto, call, exit, lock, ld_pseudo or store_release");
        }
    }

    private Instruction ParseCall()
    {
        var t = _tokens[_pos];
        if (t.Kind == TokenKind.Identifier && t.Text == "pc")
        {
            _pos++;
            var sign = _tokens[_pos];
            if (sign.Text is not ("+" or "-"))
                throw Error(sign.Column, "expected '+' or '-' after 'call pc' (a subprogram call: call pc+0x5)");
            return Instruction.Call(CallKind.Subprogram, Imm32(ParseSigned(), sign));
        }
        if (t.Kind == TokenKind.Identifier && t.Text == "kfunc")
        {
            _pos++;
            var idToken = _tokens[_pos];
            var id = Imm32(ParseSigned(), idToken);
            short fdIndex = 0;
            if (Accept(","))
            {
                var offToken = _tokens[_pos];
                fdIndex = Off16(ParseSigned(), offToken, "the kfunc's BTF fd index");
            }
            return Instruction.Call(CallKind.Kfunc, id, fdIndex);
        }
        if (t.Kind == TokenKind.Identifier)
        {
            _pos++;
            _fixups.Add((_instructions.Count, t.Text, _line, t.Column));
            return Instruction.Call(CallKind.Subprogram, -1);
        }
        return Instruction.Call(CallKind.Helper, Imm32(ParseSigned(), t));
    }

    private Instruction ParseJumpTarget(Instruction jump, bool allowLong)
    {
        var t = _tokens[_pos];
        if (t.Kind == TokenKind.Identifier)
        {
            _pos++;
            _fixups.Add((_instructions.Count, t.Text, _line, t.Column));
            return jump;
        }
        var value = ParseSigned();
        return allowLong ? jump.WithImm(Imm32(value, t, signedOnly: true)) : jump.WithOffset(Off16(value, t, "a jump offset", suggestGotol: true));
    }

    private Instruction ParseConditionalJump()
    {
        var left = ParseRegister();
        var opToken = _tokens[_pos++];
        var op = opToken.Text switch
        {
            "==" => JumpOperation.Jeq, "!=" => JumpOperation.Jne, ">" => JumpOperation.Jgt, ">=" => JumpOperation.Jge,
            "<" => JumpOperation.Jlt, "<=" => JumpOperation.Jle, "s>" => JumpOperation.Jsgt, "s>=" => JumpOperation.Jsge,
            "s<" => JumpOperation.Jslt, "s<=" => JumpOperation.Jsle, "&" => JumpOperation.Jset,
            _ => throw Error(opToken.Column, $"expected a comparison (==, !=, >, >=, <, <=, s>, s>=, s<, s<=, &), found '{opToken.Text}'"),
        };
        Condition condition;
        var rightToken = _tokens[_pos];
        if (rightToken.Kind == TokenKind.Identifier)
        {
            var right = ParseRegister();
            if (right.Is32 != left.Is32)
                throw Error(rightToken.Column, $"cannot compare {left} with {right}: write both as r (64-bit) or both as w (32-bit)");
            condition = new Condition(op, left, right);
        }
        else
        {
            condition = new Condition(op, left, Imm32(ParseSigned(), rightToken));
        }
        ExpectIdentifier("goto");
        return ParseJumpTarget(Instruction.JumpIf(condition, 0), allowLong: false);
    }

    private Instruction ParseLock()
    {
        var (size, _) = ParseSizeCast();
        var (baseReg, off) = ParseAddress(parenthesised: true);
        var opToken = _tokens[_pos++];
        var op = opToken.Text switch
        {
            "+=" => AtomicOperation.Add, "|=" => AtomicOperation.Or, "&=" => AtomicOperation.And, "^=" => AtomicOperation.Xor,
            _ => throw Error(opToken.Column, $"expected an atomic operation (+=, |=, &=, ^=), found '{opToken.Text}'"),
        };
        var src = ParseRegister();
        return Atomic(size, op, baseReg, off, src, opToken);
    }

    private Instruction ParseLdPseudo()
    {
        var dst = ParseRegister();
        Expect(",");
        var srcToken = _tokens[_pos];
        var src = ParseSigned();
        if (src < 1 || src > (int)PseudoSource.MapIdxValue)
            throw Error(srcToken.Column, $"ld_pseudo source {src} does not exist: it is 1..6 (BPF_PSEUDO_MAP_FD .. BPF_PSEUDO_MAP_IDX_VALUE)");
        Expect(",");
        var immToken = _tokens[_pos];
        var imm = Imm32(ParseSigned(), immToken);
        var next = 0;
        if (Accept(","))
        {
            var nextToken = _tokens[_pos];
            next = Imm32(ParseSigned(), nextToken);
        }
        return Instruction.Create(Instruction.LdImm64Opcode, dst.Number, (int)src, 0, imm, next);
    }

    private Instruction ParseStoreRelease()
    {
        Expect("(");
        var (size, _) = ParseSizeCast(dereference: false);
        var (baseReg, off) = ParseAddress(parenthesised: true);
        Expect(",");
        var src = ParseRegister();
        Expect(")");
        return Instruction.Atomic(size, AtomicOperation.StoreRelease, baseReg, off, src);
    }

    private Instruction ParseStore()
    {
        var (size, _) = ParseSizeCast();
        var (baseReg, off) = ParseAddress(parenthesised: true);
        Expect("=");
        var t = _tokens[_pos];
        if (t.Kind == TokenKind.Identifier)
            return Instruction.Store(size, baseReg, off, ParseRegister());
        return Instruction.Store(size, baseReg, off, Imm32(ParseSigned(), t));
    }

    private Instruction ParseAssignment()
    {
        var dstToken = _tokens[_pos];
        var dst = ParseRegister();
        var opToken = _tokens[_pos++];
        if (opToken.Text != "=")
            return ParseCompound(dst, opToken);
        var t = _tokens[_pos];
        if (t.Text == "-" && _tokens[_pos + 1].Kind == TokenKind.Identifier)
        {
            _pos++;
            var operand = ParseRegister();
            if (!operand.Equals(dst))
                throw Error(t.Column, $"negation works in place: write '{dst} = -{dst}'");
            return Instruction.Neg(dst);
        }
        if (t.Text == "(")
        {
            _pos++;
            var castToken = _tokens[_pos++];
            var bits = castToken.Text switch
            {
                "s8" => 8, "s16" => 16, "s32" => 32,
                _ => throw Error(castToken.Column, $"expected a sign-extending cast (s8), (s16) or (s32), found '{castToken.Text}'"),
            };
            Expect(")");
            var srcToken = _tokens[_pos];
            var src = ParseRegister();
            return Checked(() => Instruction.MovSx(dst, src, bits), srcToken);
        }
        if (t.Text == "*")
            return ParseLoad(dst, dstToken);
        if (t.Kind == TokenKind.Identifier && IsRegisterName(t.Text))
        {
            var src = ParseRegister();
            return Checked(() => Instruction.Alu(AluOperation.Mov, dst, src), t);
        }
        if (t.Kind == TokenKind.Identifier)
            return ParseNamedOperation(dst, dstToken);
        var value = ParseSigned();
        if (Accept("ll"))
        {
            if (dst.Is32)
                throw Error(dstToken.Column, $"a 64-bit immediate load ('ll') needs an r register, not {dst}");
            if (value > (Int128)ulong.MaxValue || value < long.MinValue)
                throw Error(t.Column, "the constant does not fit in 64 bits");
            return Instruction.LoadImm64(dst, (long)(ulong)(value & ulong.MaxValue));
        }
        return Instruction.Alu(AluOperation.Mov, dst, Imm32(value, t, hint64: !dst.Is32));
    }

    private Instruction ParseCompound(Register dst, Token opToken)
    {
        var (op, signed) = opToken.Text switch
        {
            "+=" => (AluOperation.Add, false), "-=" => (AluOperation.Sub, false), "*=" => (AluOperation.Mul, false),
            "/=" => (AluOperation.Div, false), "%=" => (AluOperation.Mod, false), "s/=" => (AluOperation.Div, true),
            "s%=" => (AluOperation.Mod, true), "|=" => (AluOperation.Or, false), "&=" => (AluOperation.And, false),
            "<<=" => (AluOperation.Lsh, false), ">>=" => (AluOperation.Rsh, false), "s>>=" => (AluOperation.Arsh, false),
            "^=" => (AluOperation.Xor, false),
            _ => throw Error(opToken.Column, $"expected '=' or an operator (+=, -=, *=, /=, %=, s/=, s%=, |=, &=, <<=, >>=, s>>=, ^=) after {dst}, found '{opToken.Text}'"),
        };
        var t = _tokens[_pos];
        if (t.Kind == TokenKind.Identifier)
        {
            var src = ParseRegister();
            return Checked(() => signed ? Instruction.AluSigned(op, dst, src) : Instruction.Alu(op, dst, src), t);
        }
        var imm = Imm32(ParseSigned(), t);
        return signed ? Instruction.AluSigned(op, dst, imm) : Instruction.Alu(op, dst, imm);
    }

    private Instruction ParseLoad(Register dst, Token dstToken)
    {
        var (size, signed) = ParseSizeCast();
        if (_tokens[_pos] is { Kind: TokenKind.Identifier, Text: "skb" } skb)
        {
            _pos++;
            if (dst.Number != 0 || signed)
                throw Error(dstToken.Column, "legacy packet loads (skb[...]) always load into r0, unsigned");
            Expect("[");
            var t = _tokens[_pos];
            Instruction insn;
            if (t.Kind == TokenKind.Identifier)
            {
                var src = ParseRegister();
                long imm = 0;
                var signToken = _tokens[_pos];
                if (signToken.Text is "+" or "-")
                    imm = Imm32(ParseSigned(), signToken);
                insn = Checked(() => Instruction.LoadIndirect(size, src, (int)imm), t);
            }
            else
            {
                var imm = Imm32(ParseSigned(), t);
                insn = Checked(() => Instruction.LoadAbsolute(size, imm), t);
            }
            Expect("]");
            return insn;
        }
        var addressToken = _tokens[_pos];
        var (baseReg, off) = ParseAddress(parenthesised: true);
        return Checked(() => signed ? Instruction.LoadSignExtend(size, dst, baseReg, off) : Instruction.Load(size, dst, baseReg, off), addressToken);
    }

    private Instruction ParseNamedOperation(Register dst, Token dstToken)
    {
        var nameToken = _tokens[_pos++];
        var name = nameToken.Text;
        if (name is "be16" or "be32" or "be64" or "le16" or "le32" or "le64" or "bswap16" or "bswap32" or "bswap64")
        {
            var kind = name[0] == 'b' && name[1] == 's' ? ByteSwap.Unconditional : name[0] == 'b' ? ByteSwap.ToBigEndian : ByteSwap.ToLittleEndian;
            var regToken = _tokens[_pos];
            var reg = ParseRegister();
            if (reg.Number != dst.Number)
                throw Error(regToken.Column, $"a byte swap works in place: write '{dst} = {name} {dst}'");
            return Instruction.ByteSwap(dst, kind, int.Parse(name.AsSpan(name.Length - 2), CultureInfo.InvariantCulture));
        }
        if (name == "addr_space_cast")
        {
            Expect("(");
            var src = ParseRegister();
            Expect(",");
            var dstAs = ParseUInt16();
            Expect(",");
            var srcAs = ParseUInt16();
            Expect(")");
            return Checked(() => Instruction.AddrSpaceCast(dst, src, dstAs, srcAs), dstToken);
        }
        if (name == "load_acquire")
        {
            Expect("(");
            var (size, _) = ParseSizeCast(dereference: false);
            var (baseReg, off) = ParseAddress(parenthesised: true);
            Expect(")");
            return Instruction.Atomic(size, AtomicOperation.LoadAcquire, dst, off, baseReg);
        }
        if (name.StartsWith("atomic_fetch_", StringComparison.Ordinal))
        {
            var op = name["atomic_fetch_".Length..] switch
            {
                "add" => AtomicOperation.FetchAdd, "or" => AtomicOperation.FetchOr, "and" => AtomicOperation.FetchAnd, "xor" => AtomicOperation.FetchXor,
                _ => throw Error(nameToken.Column, $"unknown atomic '{name}': atomic_fetch_add, _or, _and or _xor"),
            };
            Expect("(");
            var (size, _) = ParseSizeCast(dereference: false);
            var (baseReg, off) = ParseAddress(parenthesised: true);
            Expect(",");
            var srcToken = _tokens[_pos];
            var src = ParseRegister();
            Expect(")");
            SameRegister(dst, src, srcToken, "atomic_fetch_* returns the old value in its source register");
            return Atomic(size, op, baseReg, off, src, nameToken);
        }
        if (name is "xchg_64" or "xchg32_32" or "cmpxchg_64" or "cmpxchg32_32")
        {
            var size = name.EndsWith("_64", StringComparison.Ordinal) ? MemorySize.DW : MemorySize.W;
            var cmp = name.StartsWith("cmp", StringComparison.Ordinal);
            Expect("(");
            var (baseReg, off) = ParseAddress(parenthesised: false);
            Expect(",");
            if (cmp)
            {
                var r0Token = _tokens[_pos];
                var r0 = ParseRegister();
                if (r0.Number != 0 || dst.Number != 0)
                    throw Error(r0Token.Column, $"cmpxchg compares with r0 and returns the old value in r0: write '{(size == MemorySize.W ? "w0" : "r0")} = {name}(..., {(size == MemorySize.W ? "w0" : "r0")}, src)'");
                Expect(",");
            }
            var srcToken = _tokens[_pos];
            var src = ParseRegister();
            Expect(")");
            if (!cmp)
                SameRegister(dst, src, srcToken, "xchg returns the old value in its source register");
            return Atomic(size, cmp ? AtomicOperation.Cmpxchg : AtomicOperation.Xchg, baseReg, off, src, nameToken);
        }
        if (_tokens[_pos] is { Text: "ll" })
        {
            _pos++;
            if (dst.Is32)
                throw Error(dstToken.Column, $"a 64-bit load of '{name}' needs an r register, not {dst}");
            // A symbol's address, as in an object before relocation: the loader binds it.
            _references.Add(new SymbolReference(_instructions.Count, _slot, ReferenceKind.Symbol64, name));
            return Instruction.LoadImm64(dst, 0);
        }
        throw Error(nameToken.Column, IsRegisterLike(name)
            ? BadRegister(name)
            : $"unknown operand '{name}' after '{dst} =': expected a register, a number, a load *(u32 *)(...), a byte swap (be16, le32, bswap64), an atomic or 'name ll'");
    }

    private Instruction Atomic(MemorySize size, AtomicOperation op, Register baseReg, short off, Register src, Token at)
    {
        if (size is not (MemorySize.W or MemorySize.DW))
            throw Error(at.Column, "read-modify-write atomics work on u32 or u64 only");
        return Instruction.Atomic(size, op, baseReg, off, src);
    }

    private (MemorySize Size, bool Signed) ParseSizeCast(bool dereference = true)
    {
        if (dereference)
            Expect("*");
        Expect("(");
        var t = _tokens[_pos++];
        var result = t.Text switch
        {
            "u8" => (MemorySize.B, false), "u16" => (MemorySize.H, false), "u32" => (MemorySize.W, false), "u64" => (MemorySize.DW, false),
            "s8" => (MemorySize.B, true), "s16" => (MemorySize.H, true), "s32" => (MemorySize.W, true),
            _ => throw Error(t.Column, $"expected a size (u8, u16, u32, u64, s8, s16, s32), found '{t.Text}'"),
        };
        Expect("*");
        Expect(")");
        return result;
    }

    private (Register Base, short Offset) ParseAddress(bool parenthesised)
    {
        if (parenthesised)
            Expect("(");
        var reg = ParseRegister();
        var signToken = _tokens[_pos];
        if (signToken.Text is not ("+" or "-"))
            throw Error(signToken.Column, $"expected '+' or '-' and an offset after {reg} (write ({reg} + 0x0) for no offset)");
        var off = Off16(ParseSigned(), signToken, "a memory offset");
        if (parenthesised)
            Expect(")");
        return (reg, off);
    }

    private Register ParseRegister()
    {
        var t = _tokens[_pos];
        if (t.Kind != TokenKind.Identifier || !IsRegisterLike(t.Text))
            throw Error(t.Column, $"expected a register (r0..r10 or w0..w10), found '{t.Text}'");
        if (!IsRegisterName(t.Text))
            throw Error(t.Column, BadRegister(t.Text));
        _pos++;
        return Register.FromNumber(int.Parse(t.Text.AsSpan(1), CultureInfo.InvariantCulture), t.Text[0] == 'w');
    }

    private static bool IsRegisterLike(string s) => s.Length >= 2 && s[0] is 'r' or 'w' && s.AsSpan(1).ContainsAnyExceptInRange('0', '9') == false;

    private static bool IsRegisterName(string s) =>
        IsRegisterLike(s) && s.Length <= 3 && int.Parse(s.AsSpan(1), CultureInfo.InvariantCulture) < Register.Count && !(s.Length == 3 && s[1] == '0');

    private static string BadRegister(string s) => $"bad register '{s}': eBPF has r0..r10 (64-bit) and w0..w10 (their low 32 bits)";

    /// <summary>An optionally signed number; the result is in the wide range so callers can check their own limits.</summary>
    private Int128 ParseSigned()
    {
        var negative = false;
        var t = _tokens[_pos];
        if (t.Text is "+" or "-")
        {
            negative = t.Text == "-";
            _pos++;
            t = _tokens[_pos];
        }
        if (t.Kind != TokenKind.Number)
            throw Error(t.Column, $"expected a number, found '{t.Text}'");
        _pos++;
        return negative ? -(Int128)t.Number : t.Number;
    }

    private ushort ParseUInt16()
    {
        var t = _tokens[_pos];
        var value = ParseSigned();
        if (value < 0 || value > ushort.MaxValue)
            throw Error(t.Column, $"address space {value} is out of range (0..0xffff)");
        return (ushort)value;
    }

    private int Imm32(Int128 value, Token at, bool signedOnly = false, bool hint64 = false)
    {
        var max = signedOnly ? int.MaxValue : (Int128)uint.MaxValue;
        if (value < int.MinValue || value > max)
            throw Error(at.Column,
                $"immediate {FormatWide(value)} is out of range: imm is 32 bits (-0x80000000..{(signedOnly ? "0x7fffffff" : "0xffffffff")}){(hint64 ? "; for a 64-bit constant write '... ll' (the two-slot 64-bit load)" : "")}");
        return (int)(uint)(value & uint.MaxValue);
    }

    private short Off16(Int128 value, Token at, string what, bool suggestGotol = false)
    {
        if (value < short.MinValue || value > short.MaxValue)
            throw Error(at.Column, $"{what} of {FormatWide(value)} is out of range: off is 16 bits (-0x8000..0x7fff){(suggestGotol ? "; use gotol for a 32-bit jump offset" : "")}");
        return (short)value;
    }

    private static string FormatWide(Int128 value) => value < 0 ? "-0x" + (-value).ToString("x", CultureInfo.InvariantCulture) : "0x" + value.ToString("x", CultureInfo.InvariantCulture);

    private void SameRegister(Register dst, Register src, Token at, string why)
    {
        if (dst.Number != src.Number || dst.Is32 != src.Is32)
            throw Error(at.Column, $"{why}: write {src} on both sides");
    }

    private Instruction Checked(Func<Instruction> make, Token at)
    {
        try
        {
            return make();
        }
        catch (ArgumentException e)
        {
            throw Error(at.Column, e.Message.Split(" (Parameter", 2)[0]);
        }
    }

    private bool Accept(string text)
    {
        if (_tokens[_pos].Text != text || _tokens[_pos].Kind == TokenKind.End)
            return false;
        _pos++;
        return true;
    }

    private void Expect(string text)
    {
        var t = _tokens[_pos];
        if (t.Kind == TokenKind.End || t.Text != text)
            throw Error(t.Column, $"expected '{text}', found '{t.Text}'");
        _pos++;
    }

    private void ExpectIdentifier(string text)
    {
        var t = _tokens[_pos];
        if (t.Kind != TokenKind.Identifier || t.Text != text)
            throw Error(t.Column, $"expected '{text}', found '{t.Text}'");
        _pos++;
    }

    private void ExpectEnd()
    {
        var t = _tokens[_pos];
        if (t.Kind != TokenKind.End)
            throw Error(t.Column, $"unexpected '{t.Text}' after the instruction");
    }

    private AssemblyException Error(int column, string reason) => new(source, _line, column, reason);
}
