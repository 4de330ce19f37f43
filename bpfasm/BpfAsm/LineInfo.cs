namespace BpfAsm;

/// <summary><c>struct bpf_line_info</c> without insn_off (its instruction's place is the offset): the source line the verifier prints above the instruction.</summary>
/// <param name="FileNameOff">The file name, an offset into the program BTF's strings.</param>
/// <param name="LineOff">The line's text, an offset into the program BTF's strings.</param>
/// <param name="LineCol">Line number &lt;&lt; 10 | column, as <c>BPF_LINE_INFO_LINE_NUM</c> and <c>BPF_LINE_INFO_LINE_COL</c> read it.</param>
public readonly record struct LineInfo(uint FileNameOff, uint LineOff, uint LineCol)
{
    /// <summary>The line number.</summary>
    public int Line => (int)(LineCol >> 10);

    /// <summary>The column (10 bits).</summary>
    public int Column => (int)(LineCol & 0x3ff);

    /// <summary>line_col from a line and column; a column that does not fit 10 bits is left out, as clang does.</summary>
    public static uint PackLineCol(int line, int column) =>
        line < 0 || line >= 1 << 22 ? 0 : (uint)line << 10 | (column is > 0 and < 1 << 10 ? (uint)column : 0);
}
