using CpuMap.Managed.Elf.ElfFormat;

namespace CpuMap.Managed.Elf.Btf;

/// <summary>Decodes the .BTF section: struct btf_header, the type records and their names.</summary>
internal static class BtfParser
{
    private const ushort Magic = 0xeb9f;
    private const int MinimumHeaderLength = 24;

    public static (BtfType[] Types, int TypeSectionOffset, byte[] Strings) Parse(ReadOnlySpan<byte> section, string objectName, string sectionName)
    {
        var header = new SpanReader(section, objectName, sectionName);
        var magic = header.ReadUInt16();
        if (magic != Magic)
            header.Fail(0, magic == 0x9feb
                ? "the BTF is big-endian; build the object for little-endian BPF (-target bpf or bpfel)"
                : $"BTF magic 0x{magic:x4} is not 0x{Magic:x4}; the section is corrupt, rebuild the object with clang -g");
        var version = header.ReadByte();
        if (version != 1)
            header.Fail(2, $"BTF version {version} is not 1, the only version the kernel knows; rebuild the object");
        var flags = header.ReadByte();
        if (flags != 0)
            header.Fail(3, $"BTF header flags 0x{flags:x} are not 0; the section is corrupt, rebuild the object");
        var headerLength = header.ReadUInt32();
        var typeOffset = header.ReadUInt32();
        var typeLength = header.ReadUInt32();
        var stringOffset = header.ReadUInt32();
        var stringLength = header.ReadUInt32();
        if (headerLength < MinimumHeaderLength || headerLength > (uint)section.Length)
            header.Fail(4, $"BTF header length {headerLength} is outside [{MinimumHeaderLength}, {section.Length}]; the section is corrupt, rebuild the object");
        var body = section[(int)headerLength..];
        var bodyReader = new SpanReader(body, objectName, sectionName);
        if (typeOffset % 4 != 0)
            header.Fail(8, $"BTF type_off {typeOffset} is not 4-byte aligned; the section is corrupt, rebuild the object");
        var types = bodyReader.Slice(typeOffset, typeLength, "the BTF type section");
        var strings = bodyReader.Slice(stringOffset, stringLength, "the BTF string section");
        if (strings.Length == 0 || strings[0] != 0 || strings[^1] != 0)
            header.Fail(16, "the BTF string section must start and end with a NUL byte; the section is corrupt, rebuild the object");

        var result = new List<BtfType>();
        var reader = new SpanReader(types, objectName, sectionName);
        while (reader.Remaining > 0)
            result.Add(ReadType(ref reader, (uint)result.Count + 1, strings, objectName, sectionName, (int)(headerLength + typeOffset)));
        var all = result.ToArray();
        CheckReferences(all, objectName, sectionName, (int)(headerLength + typeOffset));
        return (all, (int)(headerLength + typeOffset), strings.ToArray());
    }

    private static BtfType ReadType(ref SpanReader reader, uint id, ReadOnlySpan<byte> strings, string objectName, string sectionName, int baseOffset)
    {
        var at = reader.Position;
        var nameOffset = reader.ReadUInt32();
        var info = reader.ReadUInt32();
        var sizeOrType = reader.ReadUInt32();
        var kind = (BtfKind)((info >> 24) & 0x1f);
        var vlen = (ushort)info;
        var kindFlag = (info >> 31) != 0;
        var name = Name(nameOffset, strings, objectName, sectionName, baseOffset + at);
        switch (kind)
        {
            case BtfKind.Int:
                var encoding = reader.ReadUInt32();
                return new BtfType(id, kind, name, kindFlag, vlen, sizeOrType, at)
                {
                    IntEncoding = (byte)((encoding >> 24) & 0xf),
                    IntOffset = (byte)(encoding >> 16),
                    IntBits = (byte)encoding,
                };
            case BtfKind.Ptr or BtfKind.Fwd or BtfKind.Typedef or BtfKind.Volatile or BtfKind.Const
                or BtfKind.Restrict or BtfKind.Float or BtfKind.TypeTag:
                return new BtfType(id, kind, name, kindFlag, vlen, sizeOrType, at);
            case BtfKind.Func:
                return new BtfType(id, kind, name, kindFlag, vlen, sizeOrType, at) { Linkage = vlen };
            case BtfKind.Array:
                return new BtfType(id, kind, name, kindFlag, vlen, sizeOrType, at)
                {
                    Array = new BtfArray(reader.ReadUInt32(), reader.ReadUInt32(), reader.ReadUInt32()),
                };
            case BtfKind.Struct or BtfKind.Union:
                var members = new BtfMember[vlen];
                for (var i = 0; i < members.Length; i++)
                {
                    var memberAt = baseOffset + reader.Position;
                    var memberName = Name(reader.ReadUInt32(), strings, objectName, sectionName, memberAt);
                    var type = reader.ReadUInt32();
                    var offset = reader.ReadUInt32();
                    members[i] = kindFlag
                        ? new BtfMember(memberName, type, offset & 0xffffff, (byte)(offset >> 24))
                        : new BtfMember(memberName, type, offset, 0);
                }
                return new BtfType(id, kind, name, kindFlag, vlen, sizeOrType, at) { Members = members };
            case BtfKind.Enum:
                var values = new BtfEnumValue[vlen];
                for (var i = 0; i < values.Length; i++)
                {
                    var valueAt = baseOffset + reader.Position;
                    var valueName = Name(reader.ReadUInt32(), strings, objectName, sectionName, valueAt);
                    var raw = reader.ReadInt32();
                    values[i] = new BtfEnumValue(valueName, kindFlag ? raw : (uint)raw);
                }
                return new BtfType(id, kind, name, kindFlag, vlen, sizeOrType, at) { EnumValues = values };
            case BtfKind.Enum64:
                var values64 = new BtfEnumValue[vlen];
                for (var i = 0; i < values64.Length; i++)
                {
                    var valueAt = baseOffset + reader.Position;
                    var valueName = Name(reader.ReadUInt32(), strings, objectName, sectionName, valueAt);
                    var low = reader.ReadUInt32();
                    var high = reader.ReadUInt32();
                    values64[i] = new BtfEnumValue(valueName, (long)(((ulong)high << 32) | low));
                }
                return new BtfType(id, kind, name, kindFlag, vlen, sizeOrType, at) { EnumValues = values64 };
            case BtfKind.FuncProto:
                var parameters = new BtfParam[vlen];
                for (var i = 0; i < parameters.Length; i++)
                {
                    var paramAt = baseOffset + reader.Position;
                    parameters[i] = new BtfParam(Name(reader.ReadUInt32(), strings, objectName, sectionName, paramAt), reader.ReadUInt32());
                }
                return new BtfType(id, kind, name, kindFlag, vlen, sizeOrType, at) { Parameters = parameters };
            case BtfKind.Var:
                return new BtfType(id, kind, name, kindFlag, vlen, sizeOrType, at) { Linkage = reader.ReadUInt32() };
            case BtfKind.Datasec:
                var variables = new BtfVarSecInfo[vlen];
                for (var i = 0; i < variables.Length; i++)
                    variables[i] = new BtfVarSecInfo(reader.ReadUInt32(), reader.ReadUInt32(), reader.ReadUInt32());
                return new BtfType(id, kind, name, kindFlag, vlen, sizeOrType, at) { Variables = variables };
            case BtfKind.DeclTag:
                return new BtfType(id, kind, name, kindFlag, vlen, sizeOrType, at) { ComponentIndex = reader.ReadInt32() };
            default:
                reader.Fail(baseOffset + at, $"type [{id}] has unknown BTF kind {(int)kind}; the object was built by a compiler newer than this reader, or is corrupt");
                return null!;
        }
    }

    private static string Name(uint offset, ReadOnlySpan<byte> strings, string objectName, string sectionName, int at) =>
        StringTable.Read(strings, offset, objectName, sectionName, at, "BTF string section");

    /// <summary>Every type id a record refers to must exist, so resolution later never indexes
    /// outside the table (the kernel's btf_check_all_types does the same).</summary>
    private static void CheckReferences(BtfType[] types, string objectName, string sectionName, int baseOffset)
    {
        var count = (uint)types.Length;
        foreach (var type in types)
        {
            void Check(uint target, string what)
            {
                if (target > count)
                    BpfObjectException.Throw(objectName, sectionName, baseOffset + type.RecordOffset,
                        $"{type} refers to {what} type [{target}], but the BTF has types [1..{count}]; the section is corrupt, rebuild the object");
            }

            if (!BtfType.HasSize(type.Kind) && type.Kind != BtfKind.Fwd)
                Check(type.SizeOrType, "referenced");
            if (type.Kind == BtfKind.Array)
            {
                Check(type.Array.ElementType, "element");
                Check(type.Array.IndexType, "index");
            }
            foreach (var member in type.Members)
                Check(member.Type, $"member '{member.Name}'");
            foreach (var parameter in type.Parameters)
                Check(parameter.Type, $"parameter '{parameter.Name}'");
            foreach (var variable in type.Variables)
                Check(variable.Type, "variable");
        }
    }
}
