using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using CpuMap.Managed.Elf;
using CpuMap.Managed.Elf.Btf;

namespace CpuMap.Managed.Loader;

/// <summary>
/// Turns an object's .BTF into the blob BPF_BTF_LOAD accepts, as libbpf does before loading it:
/// <list type="bullet">
/// <item>DATASEC sizes and the offsets of global VARs, which clang leaves 0, from the ELF sections
/// and symbols (the kernel checks each VAR lies inside its DATASEC, sorted by offset);</item>
/// <item>VAR linkage: a global variable with hidden or internal visibility becomes static;</item>
/// <item>the extern sections (.kconfig, .ksyms), whose extern VARs and FUNCs the kernel refuses, as libbpf leaves them;</item>
/// <item>kinds the kernel lacks replaced by ones it has, without changing any type id (func_info,
/// line_info and CO-RE relocations refer to ids): libbpf's bpf_object__sanitize_btf.</item>
/// </list>
/// </summary>
internal static class ProgramBtfFixup
{
    private const int TypeHeaderSize = 12;
    private const uint KindInt = 1, KindStruct = 4, KindUnion = 5, KindEnum = 6, KindTypedef = 8, KindConst = 10, KindFunc = 12, KindVar = 14;

    /// <summary>The blob for BPF_BTF_LOAD; a DATASEC or VAR the ELF does not explain throws <see cref="BpfLoadException"/>.</summary>
    public static byte[] ForKernel(BpfObject bpfObject, BtfKindSupport support)
    {
        var btf = bpfObject.Btf ?? throw new InvalidOperationException($"{bpfObject.Name} has no .BTF");
        var raw = bpfObject.BtfBytes.Span;
        var headerLength = BinaryPrimitives.ReadUInt32LittleEndian(raw[4..]);
        var typeOffset = BinaryPrimitives.ReadUInt32LittleEndian(raw[8..]);
        var typeLength = BinaryPrimitives.ReadUInt32LittleEndian(raw[12..]);
        var stringOffset = BinaryPrimitives.ReadUInt32LittleEndian(raw[16..]);
        var stringLength = BinaryPrimitives.ReadUInt32LittleEndian(raw[20..]);
        // The parser already checked these ranges when it read the object.
        var types = raw.Slice((int)(headerLength + typeOffset), (int)typeLength).ToArray();
        var strings = raw.Slice((int)(headerLength + stringOffset), (int)stringLength).ToArray();
        var extraTypes = new List<byte>();
        var extraStrings = new List<byte>();

        foreach (var type in btf.Types)
            if (type.Kind == BtfKind.Datasec)
            {
                if (type.Name == KconfigMap.Name)
                    FixKconfig(bpfObject, btf, type, types);
                else if (type.Name == ".ksyms")
                    FixKsyms(btf, type, types, strings, extraTypes, extraStrings);
                else
                    FixDatasec(bpfObject, btf, type, types);
            }

        uint enum64Placeholder = 0, unnamedParameter = 0;
        foreach (var type in btf.Types)
        {
            var at = type.RecordOffset;
            switch (type.Kind)
            {
                case BtfKind.Var when !support.Datasec:
                case BtfKind.DeclTag when !support.DeclTag:
                    // A 1-byte INT: same record length (the VAR's linkage and the tag's component_idx become the INT encoding).
                    SetInfo(types, at, KindInt, 0);
                    Write(types, at + 8, 1);
                    Write(types, at + 12, 8);
                    break;
                case BtfKind.Datasec when !support.Datasec:
                    // A STRUCT with one member per variable: names and offsets kept; '.' is no identifier character.
                    RenameDots(strings, type.Name, ReadU32(types, at));
                    SetInfo(types, at, KindStruct, type.Vlen);
                    for (var i = 0; i < type.Vlen; i++)
                    {
                        var entry = at + TypeHeaderSize + i * 12;
                        var variable = ReadU32(types, entry);
                        var offset = ReadU32(types, entry + 4);
                        Write(types, entry, variable <= btf.Count ? ReadU32(types, btf[variable]!.RecordOffset) : ExtraNameOf(btf, extraTypes, variable)); // the VAR's name
                        Write(types, entry + 4, variable);
                        Write(types, entry + 8, offset * 8);
                    }
                    break;
                case BtfKind.FuncProto when !support.Func:
                    SetInfo(types, at, KindEnum, type.Vlen);
                    Write(types, at + 8, 4);
                    // Parameters become enumerators, which the kernel wants named: an unnamed one (a function pointer's) gets a placeholder.
                    for (var i = 0; i < type.Vlen; i++)
                    {
                        var parameter = at + TypeHeaderSize + i * 8;
                        if (ReadU32(types, parameter) == 0)
                            Write(types, parameter, unnamedParameter = unnamedParameter != 0 ? unnamedParameter : AddString(strings, extraStrings, "param"));
                    }
                    break;
                case BtfKind.Func when !support.Func:
                    SetInfo(types, at, KindTypedef, 0);
                    break;
                case BtfKind.Func when !support.GlobalFunc:
                    SetInfo(types, at, KindFunc, 0); // linkage (vlen) static
                    break;
                case BtfKind.Float when !support.Float:
                    Write(types, at, 0);
                    SetInfo(types, at, KindStruct, 0);
                    break;
                case BtfKind.TypeTag when !support.TypeTag:
                    Write(types, at, 0);
                    SetInfo(types, at, KindConst, 0);
                    break;
                case BtfKind.Enum when !support.Enum64:
                    SetInfo(types, at, KindEnum, type.Vlen); // the signedness kind flag came with ENUM64
                    break;
                case BtfKind.Enum64 when !support.Enum64:
                    if (enum64Placeholder == 0)
                        enum64Placeholder = AddPlaceholderInt(btf, strings, extraTypes, extraStrings);
                    SetInfo(types, at, KindUnion, type.Vlen);
                    for (var i = 0; i < type.Vlen; i++)
                    {
                        var member = at + TypeHeaderSize + i * 12;
                        Write(types, member + 4, enum64Placeholder);
                        Write(types, member + 8, 0);
                    }
                    break;
            }
        }

        // The VAR appended for .ksyms becomes an INT like the object's own VARs on a kernel without DATASEC.
        for (var at = 0; !support.Datasec && at < extraTypes.Count; at += 16)
            if ((extraTypes[at + 7] & 0x1f) == KindVar)
            {
                var record = new byte[16];
                SetInfo(record, 0, KindInt, 0);
                Write(record, 8, 1);
                Write(record, 12, 8);
                for (var i = 4; i < 16; i++)
                    extraTypes[at + i] = record[i];
            }

        return BtfBlob.Assemble(types, CollectionsMarshal.AsSpan(extraTypes), strings, CollectionsMarshal.AsSpan(extraStrings));
    }

    /// <summary>
    /// The .kconfig DATASEC as the .kconfig map lays its externs out (libbpf's bpf_object__collect_externs): the kernel
    /// takes no extern VAR, so each becomes a global one at its offset in the map value.
    /// </summary>
    private static void FixKconfig(BpfObject bpfObject, BtfTypes btf, BtfType datasec, byte[] types)
    {
        var (offsets, size) = KconfigMap.Layout(bpfObject);
        var entries = new (uint Type, uint Offset, uint Size)[datasec.Vlen];
        for (var i = 0; i < entries.Length; i++)
        {
            var entry = datasec.Variables[i];
            var variable = btf[entry.Type]!;
            Write(types, variable.RecordOffset + TypeHeaderSize, 1); // BTF_VAR_GLOBAL_ALLOCATED
            // A declared extern no instruction uses has no symbol and no place in the map: it goes after the others.
            if (!offsets.TryGetValue(variable.Name, out var offset))
            {
                offset = size;
                size += (int)entry.Size;
            }
            entries[i] = (entry.Type, (uint)offset, entry.Size);
        }
        WriteEntries(types, datasec, entries, (uint)size);
    }

    /// <summary>
    /// The .ksyms DATASEC as libbpf leaves it for the kernel: kfuncs (extern FUNCs, whose linkage the kernel refuses)
    /// become global FUNCs with named parameters, and every entry a 4-byte global VAR of int, since the kernel takes
    /// only VARs in a DATASEC and resolves these externs itself.
    /// </summary>
    private static void FixKsyms(BtfTypes btf, BtfType datasec, byte[] types, byte[] strings, List<byte> extraTypes, List<byte> extraStrings)
    {
        var intType = AddType(btf, extraTypes, AddString(strings, extraStrings, "__ksym_int"), KindInt, 0, 4, 32);
        var dummyName = AddString(strings, extraStrings, "__ksym_dummy");
        var dummyVar = AddType(btf, extraTypes, dummyName, KindVar, 0, intType, 1);
        var entries = new (uint Type, uint Offset, uint Size)[datasec.Vlen];
        for (var i = 0; i < entries.Length; i++)
        {
            var type = btf[datasec.Variables[i].Type]!;
            var entryType = type.Id;
            if (type.Kind == BtfKind.Func)
            {
                SetInfo(types, type.RecordOffset, KindFunc, 1); // BTF_FUNC_GLOBAL
                if (btf[type.Type] is { Kind: BtfKind.FuncProto } proto)
                    for (var p = 0; p < proto.Vlen; p++)
                    {
                        var parameter = proto.RecordOffset + TypeHeaderSize + p * 8;
                        if (ReadU32(types, parameter) == 0 && ReadU32(types, parameter + 4) != 0)
                            Write(types, parameter, dummyName);
                    }
                entryType = dummyVar;
            }
            else
            {
                Write(types, type.RecordOffset + 8, intType);
                Write(types, type.RecordOffset + TypeHeaderSize, 1); // BTF_VAR_GLOBAL_ALLOCATED
            }
            entries[i] = (entryType, (uint)i * 4, 4);
        }
        WriteEntries(types, datasec, entries, (uint)entries.Length * 4);
    }

    private static void WriteEntries(byte[] types, BtfType datasec, (uint Type, uint Offset, uint Size)[] entries, uint size)
    {
        Array.Sort(entries, (a, b) => a.Offset.CompareTo(b.Offset));
        Write(types, datasec.RecordOffset + 8, size);
        for (var i = 0; i < entries.Length; i++)
        {
            var entry = datasec.RecordOffset + TypeHeaderSize + i * 12;
            Write(types, entry, entries[i].Type);
            Write(types, entry + 4, entries[i].Offset);
            Write(types, entry + 8, entries[i].Size);
        }
    }

    private static uint ExtraNameOf(BtfTypes btf, List<byte> extraTypes, uint id)
    {
        var at = (int)(id - btf.Count - 1) * 16;
        return (uint)(extraTypes[at] | extraTypes[at + 1] << 8 | extraTypes[at + 2] << 16 | extraTypes[at + 3] << 24);
    }

    /// <summary>Appends a 16-byte record (an INT with its encoding, or a VAR with its linkage) after the object's types; returns its id.</summary>
    private static uint AddType(BtfTypes btf, List<byte> extraTypes, uint nameOffset, uint kind, int vlen, uint sizeOrType, uint tail)
    {
        var record = new byte[16];
        Write(record, 0, nameOffset);
        SetInfo(record, 0, kind, vlen);
        Write(record, 8, sizeOrType);
        Write(record, 12, tail);
        extraTypes.AddRange(record);
        return (uint)(btf.Count + extraTypes.Count / record.Length);
    }

    /// <summary>libbpf's btf_fixup_datasec.</summary>
    private static void FixDatasec(BpfObject bpfObject, BtfTypes btf, BtfType datasec, byte[] types)
    {
        var at = datasec.RecordOffset;
        var fixOffsets = false;
        if (datasec.Size == 0)
        {
            var size = SectionSize(bpfObject, datasec.Name);
            if (size is null or 0)
                throw new BpfLoadException(bpfObject.Name, null, null,
                    $"BTF {datasec} describes section '{datasec.Name}', which the object {(size is null ? "does not have" : "has empty")}; the object is inconsistent, rebuild it");
            Write(types, at + 8, (uint)size.Value);
            fixOffsets = true;
        }

        var entries = new (uint Type, uint Offset, uint Size)[datasec.Vlen];
        for (var i = 0; i < entries.Length; i++)
        {
            var entry = at + TypeHeaderSize + i * 12;
            entries[i] = (ReadU32(types, entry), ReadU32(types, entry + 4), ReadU32(types, entry + 8));
            var variable = btf[entries[i].Type];
            if (variable is not { Kind: BtfKind.Var })
                throw new BpfLoadException(bpfObject.Name, null, null, $"BTF {datasec} holds {variable?.ToString() ?? "void"}, which is not a VAR; the object is corrupt, rebuild it");
            // Static variables have their offsets from clang; externs have no storage here.
            if (variable.Linkage is 0 or 2)
                continue;
            var symbol = GlobalSymbol(bpfObject, variable.Name)
                ?? throw new BpfLoadException(bpfObject.Name, null, null,
                    $"BTF {variable} in {datasec} has no global ELF symbol of that name, so its offset is unknown; the object is inconsistent, rebuild it");
            if (fixOffsets)
                entries[i].Offset = (uint)symbol.Value;
            // Hidden global variables are private to the object: the kernel is told they are static, as libbpf does.
            if (symbol.Visibility is ElfSymbolVisibility.Hidden or ElfSymbolVisibility.Internal)
                Write(types, variable.RecordOffset + TypeHeaderSize, 0);
        }
        // The kernel wants the variables by increasing offset.
        Array.Sort(entries, (a, b) => a.Offset.CompareTo(b.Offset));
        for (var i = 0; i < entries.Length; i++)
        {
            var entry = at + TypeHeaderSize + i * 12;
            Write(types, entry, entries[i].Type);
            Write(types, entry + 4, entries[i].Offset);
            Write(types, entry + 8, entries[i].Size);
        }
    }

    private static ulong? SectionSize(BpfObject bpfObject, string name)
    {
        foreach (var section in bpfObject.Sections)
            if (section.Name == name)
                return section.Size;
        return null;
    }

    /// <summary>libbpf's find_elf_var_sym: a global or weak data object of that name.</summary>
    private static ElfSymbol? GlobalSymbol(BpfObject bpfObject, string name)
    {
        foreach (var symbol in bpfObject.Symbols)
            if (symbol.Type == ElfSymbolType.Object && symbol.Binding is ElfSymbolBinding.Global or ElfSymbolBinding.Weak && symbol.Name == name)
                return symbol;
        return null;
    }

    /// <summary>A 1-byte INT "enum64_placeholder" appended after the object's types, for ENUM64 members to point at.</summary>
    private static uint AddPlaceholderInt(BtfTypes btf, byte[] strings, List<byte> extraTypes, List<byte> extraStrings) =>
        AddType(btf, extraTypes, AddString(strings, extraStrings, "enum64_placeholder"), KindInt, 0, 1, 8);

    private static uint AddString(byte[] strings, List<byte> extraStrings, string text)
    {
        var offset = (uint)(strings.Length + extraStrings.Count);
        extraStrings.AddRange(Encoding.ASCII.GetBytes(text + "\0"));
        return offset;
    }

    private static void RenameDots(byte[] strings, string name, uint nameOffset)
    {
        for (var i = 0; i < name.Length; i++)
            if (strings[nameOffset + i] == (byte)'.')
                strings[nameOffset + i] = (byte)'_';
    }

    private static void SetInfo(byte[] types, int at, uint kind, int vlen) => Write(types, at + 4, kind << 24 | (uint)vlen);

    private static uint ReadU32(byte[] bytes, int at) => BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at));

    private static void Write(byte[] bytes, int at, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at), value);
}
