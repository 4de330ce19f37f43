using System.Buffers.Binary;
using System.Text;

namespace CpuMap.Managed.Elf.Tests;

/// <summary>Damages a copy of an object in one precise place, reading the ELF layout by hand so
/// the tests do not depend on the reader they test.</summary>
internal sealed class ElfPatcher(byte[] original)
{
    public enum Field { Name = 0, Type = 4, Flags = 8, Offset = 24, Size = 32, Link = 40, Info = 44, EntrySize = 56 }

    public byte[] Bytes { get; } = (byte[])original.Clone();

    public ulong SectionHeaderOffset => BinaryPrimitives.ReadUInt64LittleEndian(Bytes.AsSpan(0x28));
    public int SectionCount => BinaryPrimitives.ReadUInt16LittleEndian(Bytes.AsSpan(0x3c));

    public int Header(int index) => (int)SectionHeaderOffset + 64 * index;

    public int SectionIndex(string name)
    {
        var names = (int)Read64(Header(BinaryPrimitives.ReadUInt16LittleEndian(Bytes.AsSpan(0x3e))) + (int)Field.Offset);
        for (var i = 0; i < SectionCount; i++)
            if (CString(names + (int)Read32(Header(i))) == name)
                return i;
        throw new ArgumentException($"no section '{name}'");
    }

    /// <summary>File offset of a section's contents.</summary>
    public int SectionOffset(string name) => (int)Read64(Header(SectionIndex(name)) + (int)Field.Offset);

    public ElfPatcher Set(string section, Field field, ulong value)
    {
        var at = Header(SectionIndex(section)) + (int)field;
        if (field is Field.Name or Field.Type or Field.Link or Field.Info)
            Write32(at, (uint)value);
        else
            Write64(at, value);
        return this;
    }

    public ElfPatcher Rename(string section, string newName)
    {
        var names = (int)Read64(Header(BinaryPrimitives.ReadUInt16LittleEndian(Bytes.AsSpan(0x3e))) + (int)Field.Offset);
        var at = names + (int)Read32(Header(SectionIndex(section)));
        if (newName.Length != section.Length)
            throw new ArgumentException("same length only");
        Encoding.ASCII.GetBytes(newName).CopyTo(Bytes, at);
        return this;
    }

    /// <summary>File offset of the Elf64_Sym called <paramref name="name"/>.</summary>
    public int SymbolOffset(string name)
    {
        var symtab = SectionIndex(".symtab");
        var offset = (int)Read64(Header(symtab) + (int)Field.Offset);
        var size = (int)Read64(Header(symtab) + (int)Field.Size);
        var strings = (int)Read64(Header((int)Read32(Header(symtab) + (int)Field.Link)) + (int)Field.Offset);
        for (var at = offset; at < offset + size; at += 24)
            if (CString(strings + (int)Read32(at)) == name)
                return at;
        throw new ArgumentException($"no symbol '{name}'");
    }

    /// <summary>Replaces the first <paramref name="old"/> inside <paramref name="section"/> with
    /// <paramref name="replacement"/> (NUL-padded to the same length).</summary>
    public ElfPatcher Replace(string section, string old, string replacement)
    {
        var start = SectionOffset(section);
        var length = (int)Read64(Header(SectionIndex(section)) + (int)Field.Size);
        var at = Bytes.AsSpan(start, length).IndexOf(Encoding.ASCII.GetBytes(old + "\0"));
        if (at < 0 || replacement.Length > old.Length)
            throw new ArgumentException($"'{old}' is not in {section}, or '{replacement}' is longer");
        var bytes = new byte[old.Length];
        Encoding.ASCII.GetBytes(replacement).CopyTo(bytes, 0);
        bytes.CopyTo(Bytes, start + at);
        return this;
    }

    public uint Read32(int at) => BinaryPrimitives.ReadUInt32LittleEndian(Bytes.AsSpan(at));
    public ulong Read64(int at) => BinaryPrimitives.ReadUInt64LittleEndian(Bytes.AsSpan(at));
    public ElfPatcher Write8(int at, byte value) { Bytes[at] = value; return this; }
    public ElfPatcher Write16(int at, ushort value) { BinaryPrimitives.WriteUInt16LittleEndian(Bytes.AsSpan(at), value); return this; }
    public ElfPatcher Write32(int at, uint value) { BinaryPrimitives.WriteUInt32LittleEndian(Bytes.AsSpan(at), value); return this; }
    public ElfPatcher Write64(int at, ulong value) { BinaryPrimitives.WriteUInt64LittleEndian(Bytes.AsSpan(at), value); return this; }

    private string CString(int at)
    {
        var end = Array.IndexOf(Bytes, (byte)0, at);
        return Encoding.ASCII.GetString(Bytes, at, end - at);
    }
}
