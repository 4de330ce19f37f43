using System.Text;
using CpuMap.Managed.Elf;

namespace BpfAsm.Cli;

/// <summary>
/// The listing of a BPF ELF object's executable sections as <c>llvm-objdump -d [-r]</c> prints it: the
/// sections come from src/Elf, the text from <see cref="Disassembler"/>.
/// </summary>
internal static class ObjectDisassembly
{
    public static string Disassemble(BpfObject obj, string path, string? sectionName, DisassemblerOptions options)
    {
        var sections = obj.Sections.Where(s => s.IsExecutable && s.Size > 0).ToList();
        if (sectionName is not null)
        {
            sections = sections.Where(s => s.Name == sectionName).ToList();
            if (sections.Count == 0)
            {
                var names = string.Join(", ", obj.Sections.Where(s => s.IsExecutable).Select(s => $"'{s.Name}'"));
                throw new ArgumentException($"'{path}' has no program section '{sectionName}'; its program sections are: {names}");
            }
        }

        // Every function of an executable section is a program or a subprogram, so their relocations
        // are all the section's relocations (less the calls the compiler resolved in place, which
        // have no ELF relocation and so are not listed by llvm-objdump either).
        var functions = obj.Programs.Concat(obj.Subprograms).ToList();
        var sb = new StringBuilder().Append('\n').Append(path).Append(":\tfile format elf64-bpf\n");
        foreach (var section in sections)
        {
            var inSection = functions.Where(f => f.SectionIndex == section.Index).ToList();
            // llvm-objdump heads and annotates with every named code symbol, the local labels
            // (LBB0_3) that older clangs keep among them.
            var symbols = obj.Symbols
                .Where(s => s.SectionIndex == section.Index && s.Name.Length > 0 && s.Type is ElfSymbolType.Func or ElfSymbolType.NoType)
                .Select(s => new ListingSymbol(s.Name, (long)s.Value))
                .ToList();
            var relocations = inSection
                .SelectMany(f => f.Relocations
                    .Where(r => r.Type != BpfRelocationType.R_BPF_NONE)
                    .Select(r => new ListingRelocation(f.Offset + r.Offset, r.Type,
                        r.Symbol.Type == ElfSymbolType.Section ? r.TargetSectionName : r.Symbol.Name)))
                .ToList();
            // CO-RE relocations live in .BTF.ext, not in ELF relocations; llvm-objdump -r lists them beside those.
            if (obj.Btf is { } btf && obj.BtfExt?.Find(section.Name) is { } ext)
                relocations.AddRange(ext.CoreRelos.Select(relo => new ListingRelocation(relo.InsnOff, BpfRelocationType.R_BPF_NONE, "", CoreReloListing.Text(btf, relo))));
            sb.Append("\nDisassembly of section ").Append(section.Name).Append(":\n");
            sb.Append(Disassembler.Disassemble(section.Data.Span, options, symbols, relocations));
        }
        return sb.ToString();
    }
}
