using CpuMap.Managed.Elf.ElfFormat;

namespace CpuMap.Managed.Elf.Btf;

/// <summary>
/// Decodes .BTF.ext: struct btf_ext_header (magic 0xeB9F, version 1, flags, hdr_len, then
/// offset/length pairs for func_info, line_info and, when hdr_len reaches them, core_relo;
/// offsets count from the end of the header). Each block is a record size, then per section:
/// sec_name_off, num_info, the records. Every bad length or offset is a BpfObjectException.
/// </summary>
internal static class BtfExtParser
{
    private const ushort Magic = 0xeb9f;
    private const int MinimumHeaderLength = 24;   // up to line_info_len
    private const int CoreReloHeaderLength = 32;  // with core_relo_off and core_relo_len
    private const int InstructionSize = 8;

    // The smallest record of each kind the kernel and libbpf accept; clang writes exactly these.
    // A larger record size is a newer format whose known part comes first.
    private const uint FuncInfoMinSize = 8, LineInfoMinSize = 16, CoreReloMinSize = 16;

    private enum Block { FuncInfo, LineInfo, CoreRelo }

    public static BtfExt Parse(ReadOnlySpan<byte> section, BtfTypes btf, Func<string, ulong?> sectionSize, string objectName, string sectionName)
    {
        var header = new SpanReader(section, objectName, sectionName);
        var magic = header.ReadUInt16();
        if (magic != Magic)
            header.Fail(0, magic == 0x9feb
                ? "the .BTF.ext is big-endian; build the object for little-endian BPF (-target bpf or bpfel)"
                : $".BTF.ext magic 0x{magic:x4} is not 0x{Magic:x4}; the section is corrupt, rebuild the object with clang -g");
        var version = header.ReadByte();
        if (version != 1)
            header.Fail(2, $".BTF.ext version {version} is not 1, the only version there is; rebuild the object");
        var flags = header.ReadByte();
        if (flags != 0)
            header.Fail(3, $".BTF.ext header flags 0x{flags:x} are not 0; the section is corrupt, rebuild the object");
        var headerLength = header.ReadUInt32();
        if (headerLength < MinimumHeaderLength || headerLength > (uint)section.Length)
            header.Fail(4, $".BTF.ext header length {headerLength} is outside [{MinimumHeaderLength}, {section.Length}]; the section is corrupt, rebuild the object");
        if (headerLength % 4 != 0)
            header.Fail(4, $".BTF.ext header length {headerLength} is not a multiple of 4; the section is corrupt, rebuild the object");

        var bodyStart = (int)headerLength;
        var sections = new List<BtfExtSection>();
        ReadBlock(section, bodyStart, header.ReadUInt32(), header.ReadUInt32(), 8, Block.FuncInfo, btf, sectionSize, sections, objectName, sectionName);
        ReadBlock(section, bodyStart, header.ReadUInt32(), header.ReadUInt32(), 16, Block.LineInfo, btf, sectionSize, sections, objectName, sectionName);
        // An older compiler's header ends before core_relo: then there are none.
        if (headerLength >= CoreReloHeaderLength)
            ReadBlock(section, bodyStart, header.ReadUInt32(), header.ReadUInt32(), 24, Block.CoreRelo, btf, sectionSize, sections, objectName, sectionName);
        return new BtfExt(sections);
    }

    private static void ReadBlock(ReadOnlySpan<byte> section, int bodyStart, uint offset, uint length, int headerField, Block block,
        BtfTypes btf, Func<string, ulong?> sectionSize, List<BtfExtSection> sections, string objectName, string sectionName)
    {
        if (length == 0)
            return;
        var what = Name(block);
        var fail = new SpanReader(section, objectName, sectionName);
        if (offset % 4 != 0)
            fail.Fail(headerField, $"the {what} block offset {offset} is not 4-byte aligned; the section is corrupt, rebuild the object");
        new SpanReader(section[bodyStart..], objectName, sectionName).Slice(offset, length, $"the {what} block");
        // A reader over the section up to the block's end: positions, and so every error, are section offsets.
        var at = bodyStart + (int)offset;
        var blockLength = (int)length;
        var reader = new SpanReader(section[..(at + blockLength)], objectName, sectionName, at);

        var recordSize = reader.ReadUInt32();
        var minimum = block switch { Block.FuncInfo => FuncInfoMinSize, Block.LineInfo => LineInfoMinSize, _ => CoreReloMinSize };
        if (recordSize < minimum || recordSize % 4 != 0 || recordSize > (uint)blockLength)
            reader.Fail(at, $"the {what} record size {recordSize} is not a multiple of 4 of at least {minimum} bytes inside the {blockLength}-byte block; the section is corrupt, rebuild the object");

        while (reader.Remaining > 0)
        {
            var recordsAt = reader.Position;
            var nameOffset = reader.ReadUInt32();
            var count = reader.ReadUInt32();
            if (!btf.HasString(nameOffset))
                reader.Fail(recordsAt, $"the {what} records name their section at offset {nameOffset}, which is not a string of the .BTF string section; the section is corrupt, rebuild the object");
            var name = btf.GetString(nameOffset, sectionName, recordsAt);
            var size = sectionSize(name) ?? 0;
            if (size == 0)
                reader.Fail(recordsAt, $"the {what} records are for section '{name}', which is not an executable section of the object; the section is corrupt, rebuild the object");
            if (count == 0)
                reader.Fail(recordsAt + 4, $"the {what} records of section '{name}' are empty (num_info 0), which libbpf and the kernel refuse; the section is corrupt, rebuild the object");
            if ((ulong)count * recordSize > (ulong)reader.Remaining)
                reader.Fail(recordsAt + 4, $"{count} {what} records of {recordSize} bytes for section '{name}' run past the end of the {blockLength}-byte block; the section is truncated or corrupt, rebuild the object");

            var target = Find(sections, name);
            switch (block)
            {
                case Block.FuncInfo:
                    var funcs = new List<BtfFuncInfo>((int)count);
                    for (var i = 0u; i < count; i++)
                    {
                        var recordAt = reader.Position;
                        var record = new BtfFuncInfo(ReadInsnOff(ref reader, recordAt, size, what, name), reader.ReadUInt32());
                        if (btf.Count < record.TypeId || btf[record.TypeId] is not { Kind: BtfKind.Func })
                            reader.Fail(recordAt + 4, $"func_info of section '{name}' at 0x{record.InsnOff:x} names type [{record.TypeId}], which is not a BTF FUNC; the section is corrupt, rebuild the object");
                        funcs.Add(record);
                        Skip(ref reader, recordSize, FuncInfoMinSize);
                    }
                    target.FuncInfos = Append(target.FuncInfos, funcs);
                    break;
                case Block.LineInfo:
                    var lines = new List<BtfLineInfo>((int)count);
                    for (var i = 0u; i < count; i++)
                    {
                        var recordAt = reader.Position;
                        var record = new BtfLineInfo(ReadInsnOff(ref reader, recordAt, size, what, name), reader.ReadUInt32(), reader.ReadUInt32(), reader.ReadUInt32());
                        if (!btf.HasString(record.FileNameOff) || !btf.HasString(record.LineOff))
                            reader.Fail(recordAt + 4, $"line_info of section '{name}' at 0x{record.InsnOff:x} names its file or line at a string offset outside the .BTF string section; the section is corrupt, rebuild the object");
                        lines.Add(record);
                        Skip(ref reader, recordSize, LineInfoMinSize);
                    }
                    target.LineInfos = Append(target.LineInfos, lines);
                    break;
                default:
                    var relos = new List<BtfCoreRelo>((int)count);
                    for (var i = 0u; i < count; i++)
                    {
                        var recordAt = reader.Position;
                        var insnOff = ReadInsnOff(ref reader, recordAt, size, what, name);
                        var typeId = reader.ReadUInt32();
                        var accessOffset = reader.ReadUInt32();
                        var kind = reader.ReadUInt32();
                        if (typeId == 0 || typeId > (uint)btf.Count)
                            reader.Fail(recordAt + 4, $"core_relo of section '{name}' at 0x{insnOff:x} names type [{typeId}], but the .BTF has types [1..{btf.Count}]; the section is corrupt, rebuild the object");
                        if (!btf.HasString(accessOffset))
                            reader.Fail(recordAt + 8, $"core_relo of section '{name}' at 0x{insnOff:x} has its access string at offset {accessOffset}, outside the .BTF string section; the section is corrupt, rebuild the object");
                        if (kind > (uint)BtfCoreReloKind.TypeMatches)
                            reader.Fail(recordAt + 12, $"core_relo of section '{name}' at 0x{insnOff:x} has kind {kind}, which no kernel knows (the last is {(uint)BtfCoreReloKind.TypeMatches}, BPF_CORE_TYPE_MATCHES); the object was built by a newer compiler, or is corrupt");
                        relos.Add(new BtfCoreRelo(insnOff, typeId, accessOffset, (BtfCoreReloKind)kind, btf.GetString(accessOffset, sectionName, recordAt + 8)));
                        Skip(ref reader, recordSize, CoreReloMinSize);
                    }
                    target.CoreRelos = Append(target.CoreRelos, relos);
                    break;
            }
        }

        void Skip(ref SpanReader r, uint size, uint read) => r.Position += (int)(size - read);
    }

    private static uint ReadInsnOff(ref SpanReader reader, int recordAt, ulong sectionSize, string what, string name)
    {
        var insnOff = reader.ReadUInt32();
        if (insnOff % InstructionSize != 0 || insnOff >= sectionSize)
            reader.Fail(recordAt, $"a {what} record of section '{name}' is at byte 0x{insnOff:x}, which is not the start of an instruction of the {sectionSize}-byte section; the section is corrupt, rebuild the object");
        return insnOff;
    }

    private static BtfExtSection Find(List<BtfExtSection> sections, string name)
    {
        foreach (var section in sections)
            if (section.Name == name)
                return section;
        var added = new BtfExtSection(name);
        sections.Add(added);
        return added;
    }

    private static IReadOnlyList<T> Append<T>(IReadOnlyList<T> existing, List<T> records) =>
        existing.Count == 0 ? records : [.. existing, .. records];

    private static string Name(Block block) => block switch
    {
        Block.FuncInfo => "func_info",
        Block.LineInfo => "line_info",
        _ => "core_relo",
    };
}
