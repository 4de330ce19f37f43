using static BpfAsm.Register;

namespace BpfAsm.Tests;

public class AssemblerTests
{
    [Fact]
    public void Hand_written_text_with_labels_comments_and_symbols_assembles()
    {
        var program = Assembler.Assemble("""
            ; count packets, hand-written
            prog:
                r1 = counters ll          # a map, bound by the loader
                call 1
                if r0 == 0 goto out       // forward
            again:
                r1 = 1
                lock *(u64 *)(r0 + 0) += r1
                may_goto again
            out:
                w0 = 2
                call helper
                exit
            helper:
                exit
            """, "count.s");
        Assert.Equal(
            [Instruction.LoadImm64(R1, 0), Instruction.Call(BpfHelper.MapLookupElem), Instruction.JumpIf(R0 == 0, 3),
             Instruction.Alu(AluOperation.Mov, R1, 1), Instruction.Atomic(MemorySize.DW, AtomicOperation.Add, R0, 0, R1), Instruction.MayGoto(-3),
             Instruction.Alu(AluOperation.Mov, W0, 2), Instruction.Call(CallKind.Subprogram, 1), Instruction.Exit(), Instruction.Exit()],
            program.Instructions);
        Assert.Equal(new SymbolReference(0, 0, ReferenceKind.Symbol64, "counters"), Assert.Single(program.References));
    }

    [Fact]
    public void Calls_to_unknown_functions_are_left_as_relocations_like_llvm_does()
    {
        var program = Assembler.Assemble("call bpf_obj_new_impl\nexit");
        Assert.Equal(Instruction.Call(CallKind.Subprogram, -1), program.Instructions[0]);
        Assert.Equal(new SymbolReference(0, 0, ReferenceKind.Call, "bpf_obj_new_impl"), Assert.Single(program.References));
    }

    [Fact]
    public void The_extensions_for_what_llvm_cannot_print_round_trip()
    {
        Instruction[] lossy =
        [
            Instruction.Call(CallKind.Subprogram, 5), Instruction.Call(CallKind.Subprogram, -3),
            Instruction.Call(CallKind.Kfunc, 77), Instruction.Call(CallKind.Kfunc, 77, 2),
            Instruction.LoadMapValue(R1, 3, 16), Instruction.LoadIndirect(MemorySize.W, R3, -8),
            Instruction.Atomic(MemorySize.W, AtomicOperation.Xchg, R1, 4, R2),
        ];
        var text = Disassembler.Disassemble(lossy, new DisassemblerOptions { Lossless = true });
        Assert.Contains("call pc+0x5", text);
        Assert.Contains("call kfunc 0x4d, 0x2", text);
        Assert.Contains("ld_pseudo\tr1, 0x2, 0x3, 0x10", text);
        Assert.Contains("skb[r3 - 0x8]", text);
        Assert.Equal(lossy, Assembler.Assemble(text).Instructions);

        // Exactly as llvm-objdump prints them, they read as other instructions.
        var llvm = Disassembler.Disassemble(lossy);
        Assert.Contains("\tcall 0x5\n", llvm);
        Assert.Contains("\tcall 0x4d\n", llvm);
        Assert.Contains("ld_pseudo\tr1, 0x2, 0x3\n", llvm);
        Assert.Contains("skb[r3]", llvm);
    }

    public static TheoryData<string, int, int, string> Errors => new()
    {
        { "r0 = 1\n  mov r0, 1", 2, 3, "unknown instruction 'mov'" },
        { "r11 = 1", 1, 1, "bad register 'r11': eBPF has r0..r10" },
        { "r1 = w12", 1, 6, "bad register 'w12'" },
        { "r1 += r01", 1, 7, "bad register 'r01'" },
        { "r1 = 0x100000000", 1, 6, "immediate 0x100000000 is out of range: imm is 32 bits (-0x80000000..0xffffffff); for a 64-bit constant write '... ll'" },
        { "w1 += -0x80000001", 1, 7, "immediate -0x80000001 is out of range" },
        { "r1 = 0x10000000000000000 ll", 1, 6, "number '0x10000000000000000' does not fit in 64 bits" },
        { "r0 = *(u32 *)(r1 + 0x8000)", 1, 18, "a memory offset of 0x8000 is out of range: off is 16 bits" },
        { "goto +40000", 1, 6, "use gotol for a 32-bit jump offset" },
        { "goto nowhere", 1, 6, "label 'nowhere' is not defined" },
        { "a:\nexit\na:\nexit", 3, 1, "label 'a' is defined twice" },
        { "r1 = r2 r3", 1, 9, "unexpected 'r3' after the instruction" },
        { "if r1 ~ r2 goto +1", 1, 7, "unexpected character '~'" },
        { "if r1 == w2 goto +1", 1, 10, "cannot compare r1 with w2" },
        { "w1 += r2", 1, 7, "w1 and r2 have different widths" },
        { "r0 = *(u24 *)(r1 + 0)", 1, 8, "expected a size (u8, u16, u32, u64, s8, s16, s32), found 'u24'" },
        { "r1 = -r2", 1, 6, "negation works in place" },
        { "r1 = be16 r2", 1, 11, "a byte swap works in place" },
        { "r2 = xchg_64(r1 + 0, r3)", 1, 22, "xchg returns the old value in its source register" },
        { "callx r1", 1, 1, "'callx' (BPF_CALL | BPF_X) is not part of the kernel's instruction set" },
        { "ld_pseudo r1, 9, 0", 1, 15, "ld_pseudo source 9 does not exist" },
        { "w1 = 0 ll", 1, 1, "needs an r register, not w1" },
        { "r1 = 12abc", 1, 6, "'12abc' is not a number" },
        { "exit\n\t\t0000000000000000:  R_BPF_64_64\tm", 2, 22, "R_BPF_64_64 cannot apply to instruction 0" },
        { "exit\n\t\t0000000000000010:  R_BPF_64_32\tf", 2, 1, "does not start an instruction seen so far" },
        { "exit\n\t\t0000000000000000:  R_BPF_64_99\tf", 2, 22, "unknown relocation type 'R_BPF_64_99'" },
        { "r0 = *(u8 *)skb[r1 + 0x100000000]", 1, 20, "out of range" },
        { "r1 = *(u8 *)skb[3]", 1, 1, "legacy packet loads (skb[...]) always load into r0" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void Bad_text_fails_with_line_column_and_cause(string text, int line, int column, string reason)
    {
        var e = Assert.Throws<AssemblyException>(() => Assembler.Assemble(text, "bad.s"));
        Assert.Contains(reason, e.Reason);
        Assert.Equal((line, column), (e.Line, e.Column));
        Assert.StartsWith($"bad.s:{line}:{column}: error: ", e.Message);
    }

    [Fact]
    public void Objdump_boilerplate_and_elided_zeros_are_handled()
    {
        var program = Assembler.Assemble("""

            prog.o:	file format elf64-bpf

            Disassembly of section xdp:

            0000000000000000 <prog>:
                   0:	b7 00 00 00 02 00 00 00	r0 = 0x2
                   1:	95 00 00 00 00 00 00 00	exit
            """);
        Assert.Equal([Instruction.Alu(AluOperation.Mov, R0, 2), Instruction.Exit()], program.Instructions);
        Assert.Equal([new ListingSymbol("prog", 0)], program.Symbols);
        var e = Assert.Throws<AssemblyException>(() => Assembler.Assemble("exit\n\t\t..."));
        Assert.Contains("llvm-objdump -z", e.Reason);
    }
}
