using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text;
using BpfAsm;
using CpuMap.Managed.Syscalls;

namespace CpuMap.Managed.Loader;

/// <summary>
/// The BTF a DSL program gives BPF_PROG_LOAD so that a verifier log shows, above each instruction, the C# line
/// that emitted it ("; p.Load(...) @ MyProgram.cs:42"), as libbpf shows the C line: a minimal BTF built here
/// (an int, a FUNC_PROTO returning it, one static FUNC per function the kernel sees), func_info for those
/// functions and line_info from the lines the <see cref="ProgramBuilder"/> recorded.
/// </summary>
internal static class DslProgramBtf
{
    private const uint KindInt = 1, KindFunc = 12, KindFuncProto = 13;
    private const uint IntSigned = 1u << 24;

    /// <summary>
    /// Loads the BTF and gives each function start its func_info and each recorded instruction its line_info in
    /// <paramref name="linked"/>; null (and no line info) when the program recorded no lines or the kernel refuses
    /// the BTF, which a DSL program does not need.
    /// </summary>
    public static ProgLoadBtf? For(string name, BpfAsm.BpfProgram program, LinkedProgram linked)
    {
        if (!Array.Exists(linked.Metadata, m => m?.Source is not null))
            return null;
        var strings = new StringTable();
        var types = new TypeTable();
        var intType = types.Add(strings.Add("int"), KindInt, 4, IntSigned | 32);
        var proto = types.Add(0, KindFuncProto, intType);
        var starts = FunctionStarts(linked);
        for (var i = 0; i < linked.Metadata.Length; i++)
        {
            var metadata = linked.Metadata[i];
            if (starts.Contains(i))
            {
                var func = types.Add(strings.Add(FunctionName(name, program, linked.SlotOf(i))), KindFunc, proto);
                metadata = (metadata ?? new InstructionMetadata()) with { Func = new FuncInfo(func) };
            }
            if (metadata?.Source is { } source)
                metadata = metadata with { Line = new LineInfo(strings.Add(source.File), strings.Add(SourceText.Line(source)), LineInfo.PackLineCol(source.Line, 0)) };
            linked.Metadata[i] = metadata;
        }
        BtfFd fd;
        try
        {
            fd = Bpf.BtfLoad(BtfBlob.Assemble(CollectionsMarshal.AsSpan(types.Bytes), [], CollectionsMarshal.AsSpan(strings.Bytes), []));
        }
        catch (BpfException)
        {
            return null; // a kernel without BTF for programs: the program loads as before, without source lines
        }
        var (funcInfo, lineInfo) = ProgramBtf.Records(linked);
        return new ProgLoadBtf(fd, funcInfo, ProgramBtf.FuncInfoSize, lineInfo, ProgramBtf.LineInfoSize);
    }

    /// <summary>Where the kernel's functions start: the entry, and every BPF-to-BPF call or callback target (pc + imm + 1).</summary>
    private static HashSet<int> FunctionStarts(LinkedProgram linked)
    {
        var targets = new HashSet<int> { 0 };
        for (var i = 0; i < linked.Instructions.Length; i++)
        {
            var insn = linked.Instructions[i];
            if ((insn.IsCall && insn.SrcField == (int)CallKind.Subprogram) || (insn.IsWide && insn.SrcField == (int)PseudoSource.Func))
                targets.Add(linked.SlotOf(i) + insn.Imm + 1);
        }
        var starts = new HashSet<int>();
        for (var i = 0; i < linked.Instructions.Length; i++)
            if (targets.Contains(linked.SlotOf(i)))
                starts.Add(i);
        return starts;
    }

    /// <summary>The program's name for the entry, a subprogram's label where it has one, else sub_SLOT; made a C identifier, which the kernel wants.</summary>
    private static string FunctionName(string name, BpfAsm.BpfProgram program, int slot)
    {
        var label = slot == 0 ? name : $"sub_{slot}";
        foreach (var symbol in program.Symbols)
            if (slot != 0 && symbol.Offset == (long)slot * Instruction.SlotSize)
                label = symbol.Name;
        var identifier = new StringBuilder(label.Length + 1);
        foreach (var c in label)
            identifier.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        if (identifier.Length == 0 || char.IsAsciiDigit(identifier[0]))
            identifier.Insert(0, '_');
        return identifier.ToString();
    }

    private sealed class TypeTable
    {
        public List<byte> Bytes { get; } = [];
        private uint _count;

        /// <summary>Appends a type record (12 bytes, or 16 with <paramref name="extra"/>, e.g. an INT's encoding); returns its id.</summary>
        public uint Add(uint nameOff, uint kind, uint sizeOrType, uint? extra = null)
        {
            Span<byte> record = stackalloc byte[16];
            BinaryPrimitives.WriteUInt32LittleEndian(record, nameOff);
            BinaryPrimitives.WriteUInt32LittleEndian(record[4..], kind << 24);
            BinaryPrimitives.WriteUInt32LittleEndian(record[8..], sizeOrType);
            if (extra is { } value)
                BinaryPrimitives.WriteUInt32LittleEndian(record[12..], value);
            Bytes.AddRange(record[..(extra is null ? 12 : 16)]);
            return ++_count;
        }
    }

    private sealed class StringTable
    {
        private readonly Dictionary<string, uint> _offsets = new(StringComparer.Ordinal) { [""] = 0 };

        public List<byte> Bytes { get; } = [0];

        public uint Add(string text)
        {
            if (_offsets.TryGetValue(text, out var offset))
                return offset;
            offset = (uint)Bytes.Count;
            Bytes.AddRange(Encoding.UTF8.GetBytes(text));
            Bytes.Add(0);
            _offsets.Add(text, offset);
            return offset;
        }
    }

    /// <summary>
    /// The text of a recorded line, which the verifier prints before " @ file:line", when the source file is where the
    /// compiler saw it (as on the machine that builds and tests); else empty, and the log still names file and line.
    /// Each file is read once per process, not once per load: a program's source does not change under a running
    /// process, and a service that loads DSL programs again and again should not read them again and again.
    /// </summary>
    private static class SourceText
    {
        private static readonly ConcurrentDictionary<string, string[]> Files = new(StringComparer.Ordinal);

        public static string Line(SourceLine source)
        {
            var lines = Files.GetOrAdd(source.File, Read);
            return source.Line >= 1 && source.Line <= lines.Length ? lines[source.Line - 1].Trim() : "";
        }

        private static string[] Read(string file)
        {
            try
            {
                return file.Length > 0 && File.Exists(file) ? File.ReadAllLines(file) : [];
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return [];
            }
        }
    }
}
