namespace BpfAsm;

/// <summary>The three low bits of an opcode: <c>BPF_CLASS(code)</c>.</summary>
public enum InstructionClass : byte
{
    /// <summary><c>BPF_LD</c>: the 64-bit immediate load and the legacy packet loads.</summary>
    Ld = 0x00,
    /// <summary><c>BPF_LDX</c>: load from memory into a register.</summary>
    Ldx = 0x01,
    /// <summary><c>BPF_ST</c>: store an immediate into memory.</summary>
    St = 0x02,
    /// <summary><c>BPF_STX</c>: store a register into memory, and the atomics.</summary>
    Stx = 0x03,
    /// <summary><c>BPF_ALU</c>: 32-bit arithmetic.</summary>
    Alu = 0x04,
    /// <summary><c>BPF_JMP</c>: 64-bit jumps, calls and exit.</summary>
    Jmp = 0x05,
    /// <summary><c>BPF_JMP32</c>: jumps that compare the low 32 bits, and <c>gotol</c>.</summary>
    Jmp32 = 0x06,
    /// <summary><c>BPF_ALU64</c>: 64-bit arithmetic.</summary>
    Alu64 = 0x07,
}

/// <summary>Memory access width: <c>BPF_SIZE(code)</c>.</summary>
public enum MemorySize : byte
{
    /// <summary><c>BPF_W</c>: 4 bytes.</summary>
    W = 0x00,
    /// <summary><c>BPF_H</c>: 2 bytes.</summary>
    H = 0x08,
    /// <summary><c>BPF_B</c>: 1 byte.</summary>
    B = 0x10,
    /// <summary><c>BPF_DW</c>: 8 bytes.</summary>
    DW = 0x18,
}

/// <summary>Addressing mode of load and store classes: <c>BPF_MODE(code)</c>.</summary>
public enum MemoryMode : byte
{
    /// <summary><c>BPF_IMM</c>: only in <c>BPF_LD | BPF_DW</c>, the 64-bit immediate load.</summary>
    Imm = 0x00,
    /// <summary><c>BPF_ABS</c>: legacy packet load at a constant offset.</summary>
    Abs = 0x20,
    /// <summary><c>BPF_IND</c>: legacy packet load at a register plus constant offset.</summary>
    Ind = 0x40,
    /// <summary><c>BPF_MEM</c>: plain load or store.</summary>
    Mem = 0x60,
    /// <summary><c>BPF_MEMSX</c>: sign-extending load.</summary>
    MemSx = 0x80,
    /// <summary><c>BPF_ATOMIC</c>: atomic read-modify-write; the operation is in <c>imm</c>.</summary>
    Atomic = 0xc0,
}

/// <summary>Operand source bit of ALU and JMP classes: <c>BPF_SRC(code)</c>.</summary>
public enum OperandSource : byte
{
    /// <summary><c>BPF_K</c>: the 32-bit <c>imm</c> (also <c>BPF_TO_LE</c> for byte swaps).</summary>
    K = 0x00,
    /// <summary><c>BPF_X</c>: the source register (also <c>BPF_TO_BE</c> for byte swaps).</summary>
    X = 0x08,
}

/// <summary>ALU operation: <c>BPF_OP(code)</c> in <c>BPF_ALU</c> and <c>BPF_ALU64</c>.</summary>
public enum AluOperation : byte
{
    /// <summary><c>BPF_ADD</c>: <c>dst += src</c>.</summary>
    Add = 0x00,
    /// <summary><c>BPF_SUB</c>: <c>dst -= src</c>.</summary>
    Sub = 0x10,
    /// <summary><c>BPF_MUL</c>: <c>dst *= src</c>.</summary>
    Mul = 0x20,
    /// <summary><c>BPF_DIV</c>: <c>dst /= src</c>, unsigned (signed when <c>off</c> is 1); division by zero gives 0.</summary>
    Div = 0x30,
    /// <summary><c>BPF_OR</c>: <c>dst |= src</c>.</summary>
    Or = 0x40,
    /// <summary><c>BPF_AND</c>: <c>dst &amp;= src</c>.</summary>
    And = 0x50,
    /// <summary><c>BPF_LSH</c>: <c>dst &lt;&lt;= src</c>.</summary>
    Lsh = 0x60,
    /// <summary><c>BPF_RSH</c>: <c>dst &gt;&gt;= src</c>, logical (zero-filling).</summary>
    Rsh = 0x70,
    /// <summary><c>BPF_NEG</c>: <c>dst = -dst</c>.</summary>
    Neg = 0x80,
    /// <summary><c>BPF_MOD</c>: <c>dst %= src</c>, unsigned (signed when <c>off</c> is 1); modulo by zero leaves dst.</summary>
    Mod = 0x90,
    /// <summary><c>BPF_XOR</c>: <c>dst ^= src</c>.</summary>
    Xor = 0xa0,
    /// <summary><c>BPF_MOV</c>: <c>dst = src</c> (sign-extending when <c>off</c> is 8, 16 or 32).</summary>
    Mov = 0xb0,
    /// <summary><c>BPF_ARSH</c>: <c>dst &gt;&gt;= src</c>, arithmetic (sign-filling).</summary>
    Arsh = 0xc0,
    /// <summary><c>BPF_END</c>: byte swap; the width (16, 32, 64) is in <c>imm</c>.</summary>
    End = 0xd0,
}

/// <summary>Jump operation: <c>BPF_OP(code)</c> in <c>BPF_JMP</c> and <c>BPF_JMP32</c>.</summary>
public enum JumpOperation : byte
{
    /// <summary><c>BPF_JA</c>: unconditional <c>goto</c> (<c>gotol</c> in <c>BPF_JMP32</c>, with the offset in imm).</summary>
    Ja = 0x00,
    /// <summary><c>BPF_JEQ</c>: jump if <c>dst == src</c>.</summary>
    Jeq = 0x10,
    /// <summary><c>BPF_JGT</c>: jump if <c>dst &gt; src</c>, unsigned.</summary>
    Jgt = 0x20,
    /// <summary><c>BPF_JGE</c>: jump if <c>dst &gt;= src</c>, unsigned.</summary>
    Jge = 0x30,
    /// <summary><c>BPF_JSET</c>: jump if <c>dst &amp; src</c> is not 0.</summary>
    Jset = 0x40,
    /// <summary><c>BPF_JNE</c>: jump if <c>dst != src</c>.</summary>
    Jne = 0x50,
    /// <summary><c>BPF_JSGT</c>: jump if <c>dst &gt; src</c>, signed.</summary>
    Jsgt = 0x60,
    /// <summary><c>BPF_JSGE</c>: jump if <c>dst &gt;= src</c>, signed.</summary>
    Jsge = 0x70,
    /// <summary><c>BPF_CALL</c>: a helper, BPF-to-BPF or kfunc call (src_reg says which).</summary>
    Call = 0x80,
    /// <summary><c>BPF_EXIT</c>: return r0 to the caller.</summary>
    Exit = 0x90,
    /// <summary><c>BPF_JLT</c>: jump if <c>dst &lt; src</c>, unsigned.</summary>
    Jlt = 0xa0,
    /// <summary><c>BPF_JLE</c>: jump if <c>dst &lt;= src</c>, unsigned.</summary>
    Jle = 0xb0,
    /// <summary><c>BPF_JSLT</c>: jump if <c>dst &lt; src</c>, signed.</summary>
    Jslt = 0xc0,
    /// <summary><c>BPF_JSLE</c>: jump if <c>dst &lt;= src</c>, signed.</summary>
    Jsle = 0xd0,
    /// <summary><c>BPF_JCOND</c>: <c>may_goto</c> (src_reg <c>BPF_MAY_GOTO</c> = 0).</summary>
    Jcond = 0xe0,
}

/// <summary>The <c>imm</c> of a <c>BPF_ATOMIC</c> instruction.</summary>
public enum AtomicOperation
{
    /// <summary><c>BPF_ADD</c>: <c>*addr += src</c>.</summary>
    Add = 0x00,
    /// <summary><c>BPF_OR</c>: <c>*addr |= src</c>.</summary>
    Or = 0x40,
    /// <summary><c>BPF_AND</c>: <c>*addr &amp;= src</c>.</summary>
    And = 0x50,
    /// <summary><c>BPF_XOR</c>: <c>*addr ^= src</c>.</summary>
    Xor = 0xa0,
    /// <summary><c>BPF_ADD | BPF_FETCH</c>: <c>*addr += src</c>, the old value lands in src.</summary>
    FetchAdd = 0x01,
    /// <summary><c>BPF_OR | BPF_FETCH</c>: <c>*addr |= src</c>, the old value lands in src.</summary>
    FetchOr = 0x41,
    /// <summary><c>BPF_AND | BPF_FETCH</c>: <c>*addr &amp;= src</c>, the old value lands in src.</summary>
    FetchAnd = 0x51,
    /// <summary><c>BPF_XOR | BPF_FETCH</c>: <c>*addr ^= src</c>, the old value lands in src.</summary>
    FetchXor = 0xa1,
    /// <summary><c>BPF_XCHG</c> (= <c>0xe0 | BPF_FETCH</c>).</summary>
    Xchg = 0xe1,
    /// <summary><c>BPF_CMPXCHG</c> (= <c>0xf0 | BPF_FETCH</c>): compares with r0, old value lands in r0.</summary>
    Cmpxchg = 0xf1,
    /// <summary><c>BPF_LOAD_ACQ</c> (Linux 6.15): <c>dst = load_acquire(src + off)</c>, any size.</summary>
    LoadAcquire = 0x100,
    /// <summary><c>BPF_STORE_REL</c> (Linux 6.15): <c>store_release(dst + off, src)</c>, any size.</summary>
    StoreRelease = 0x110,
}

/// <summary>The <c>src_reg</c> of a 64-bit immediate load, telling the verifier what <c>imm</c> holds.</summary>
public enum PseudoSource : byte
{
    /// <summary>A plain 64-bit constant.</summary>
    None = 0,
    /// <summary><c>BPF_PSEUDO_MAP_FD</c>: imm is a map fd; the register gets the map pointer.</summary>
    MapFd = 1,
    /// <summary><c>BPF_PSEUDO_MAP_VALUE</c>: imm is a map fd, the second imm an offset into its value.</summary>
    MapValue = 2,
    /// <summary><c>BPF_PSEUDO_BTF_ID</c>: imm is the BTF id of a kernel variable (ksym).</summary>
    BtfId = 3,
    /// <summary><c>BPF_PSEUDO_FUNC</c>: imm is the instruction offset of a subprogram (a callback).</summary>
    Func = 4,
    /// <summary><c>BPF_PSEUDO_MAP_IDX</c>: imm is an index into the load's fd_array.</summary>
    MapIdx = 5,
    /// <summary><c>BPF_PSEUDO_MAP_IDX_VALUE</c>: as <see cref="MapIdx"/>, plus a value offset.</summary>
    MapIdxValue = 6,
}

/// <summary>The <c>src_reg</c> of a <c>BPF_CALL</c>, telling what <c>imm</c> names.</summary>
public enum CallKind : byte
{
    /// <summary>src_reg 0: imm is a helper id (<see cref="BpfHelper"/>).</summary>
    Helper = 0,
    /// <summary><c>BPF_PSEUDO_CALL</c>: imm is the offset of a subprogram (target = pc + imm + 1).</summary>
    Subprogram = 1,
    /// <summary><c>BPF_PSEUDO_KFUNC_CALL</c>: imm is a kernel function's BTF id, off its fd_array index.</summary>
    Kfunc = 2,
}
