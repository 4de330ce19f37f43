using System.Text;
using CpuMap.Managed.Elf;
using CpuMap.Managed.Elf.Btf;

namespace BpfAsm.Cli;

/// <summary>
/// A CO-RE relocation as llvm-objdump -r lists it: <c>CO-RE &lt;byte_off&gt; [2] struct xdp_md::data_end (0:1)</c>, the
/// kind in llvm's short name, the local type id, the type, the field its access string names, and the string itself.
/// </summary>
internal static class CoreReloListing
{
    public static string Text(BtfTypes btf, BtfCoreRelo relo)
    {
        var text = new StringBuilder("CO-RE <").Append(KindName(relo.Kind)).Append("> [").Append(relo.TypeId).Append("] ");
        try
        {
            var type = btf[relo.TypeId];
            text.Append(TypeName(type));
            var indexes = relo.AccessString.Split(':');
            if (relo.Kind <= BtfCoreReloKind.FieldRShiftU64)
            {
                var current = btf.SkipModifiersAndTypedefs(relo.TypeId);
                for (var i = 1; i < indexes.Length && current is not null && int.TryParse(indexes[i], out var index); i++)
                {
                    if (current.Kind is BtfKind.Struct or BtfKind.Union && index >= 0 && index < current.Members.Count)
                    {
                        text.Append(i == 1 ? "::" : ".").Append(current.Members[index].Name);
                        current = btf.SkipModifiersAndTypedefs(current.Members[index].Type);
                    }
                    else if (current.Kind == BtfKind.Array)
                    {
                        text.Append('[').Append(index).Append(']');
                        current = btf.SkipModifiersAndTypedefs(current.Array.ElementType);
                    }
                    else
                        break;
                }
                text.Append(" (").Append(relo.AccessString).Append(')');
            }
            else if (relo.Kind is BtfCoreReloKind.EnumvalExists or BtfCoreReloKind.EnumvalValue
                     && btf.SkipModifiersAndTypedefs(relo.TypeId) is { } enumType && int.TryParse(indexes[0], out var value)
                     && value >= 0 && value < enumType.EnumValues.Count)
            {
                text.Append("::").Append(enumType.EnumValues[value].Name).Append(" = ").Append(enumType.EnumValues[value].Value);
            }
        }
        catch (BpfObjectException)
        {
            text.Append('(').Append(relo.AccessString).Append(')'); // a damaged type: the raw access string is what there is
        }
        return text.ToString();
    }

    /// <summary>llvm's names (BPFCoreSharedInfo), e.g. byte_off for BPF_CORE_FIELD_BYTE_OFFSET.</summary>
    private static string KindName(BtfCoreReloKind kind) => kind switch
    {
        BtfCoreReloKind.FieldByteOffset => "byte_off",
        BtfCoreReloKind.FieldByteSize => "byte_sz",
        BtfCoreReloKind.FieldExists => "field_exists",
        BtfCoreReloKind.FieldSigned => "signed",
        BtfCoreReloKind.FieldLShiftU64 => "lshift_u64",
        BtfCoreReloKind.FieldRShiftU64 => "rshift_u64",
        BtfCoreReloKind.TypeIdLocal => "local_type_id",
        BtfCoreReloKind.TypeIdTarget => "target_type_id",
        BtfCoreReloKind.TypeExists => "type_exists",
        BtfCoreReloKind.TypeSize => "type_size",
        BtfCoreReloKind.EnumvalExists => "enumval_exists",
        BtfCoreReloKind.EnumvalValue => "enumval_value",
        BtfCoreReloKind.TypeMatches => "type_matches",
        _ => $"kind {(uint)kind}",
    };

    private static string TypeName(BtfType? type) => type is null
        ? "void"
        : type.Kind switch
        {
            BtfKind.Struct => $"struct {type.Name}",
            BtfKind.Union => $"union {type.Name}",
            BtfKind.Enum or BtfKind.Enum64 => $"enum {type.Name}",
            _ => type.Name,
        };
}
