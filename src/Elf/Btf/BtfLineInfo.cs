namespace CpuMap.Managed.Elf.Btf;

/// <summary>One line_info record of .BTF.ext (struct bpf_line_info): the C source line of the
/// instruction at <see cref="InsnOff"/>.</summary>
/// <param name="InsnOff">In the object: a byte offset in the section (see <see cref="BtfFuncInfo.InsnOff"/>).</param>
/// <param name="FileNameOff">The file name, an offset into the .BTF string section.</param>
/// <param name="LineOff">The source line's text, an offset into the .BTF string section.</param>
/// <param name="LineCol">line &lt;&lt; 10 | column.</param>
public readonly record struct BtfLineInfo(uint InsnOff, uint FileNameOff, uint LineOff, uint LineCol)
{
    /// <summary>The 1-based source line (BPF_LINE_INFO_LINE_NUM).</summary>
    public uint Line => LineCol >> 10;

    /// <summary>The column (BPF_LINE_INFO_LINE_COL).</summary>
    public uint Column => LineCol & 0x3ff;
}
