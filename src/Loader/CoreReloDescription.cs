using System.Text;
using CpuMap.Managed.Elf;
using CpuMap.Managed.Elf.Btf;

namespace CpuMap.Managed.Loader;

/// <summary>
/// A CO-RE relocation in words, from the object's BTF: its kind and what its access string
/// names ("0:1" on struct net_device is the field net_device.ifindex when that is member 1),
/// as libbpf's and the kernel's "struct net_device.ifindex (0:1 @ offset 4)".
/// </summary>
internal static class CoreReloDescription
{
    public static string Describe(BtfTypes btf, BtfCoreRelo relo)
    {
        var text = new StringBuilder(relo.KindName).Append(" of ");
        try
        {
            var root = btf.SkipModifiersAndTypedefs(relo.TypeId);
            text.Append(TypeName(btf[relo.TypeId]));
            var indexes = relo.AccessString.Split(':');
            switch (relo.Kind)
            {
                case BtfCoreReloKind.EnumvalExists or BtfCoreReloKind.EnumvalValue:
                    if (root is not null && int.TryParse(indexes[0], out var value) && value >= 0 && value < root.EnumValues.Count)
                        text.Append(" value ").Append(root.EnumValues[value].Name);
                    break;
                case <= BtfCoreReloKind.FieldRShiftU64:
                    var current = root;
                    for (var i = 1; i < indexes.Length && current is not null; i++)
                    {
                        if (!int.TryParse(indexes[i], out var index) || index < 0)
                            break;
                        if (current.Kind is BtfKind.Struct or BtfKind.Union && index < current.Members.Count)
                        {
                            var member = current.Members[index];
                            text.Append('.').Append(member.Name.Length == 0 ? "(anonymous)" : member.Name);
                            current = btf.SkipModifiersAndTypedefs(member.Type);
                        }
                        else if (current.Kind == BtfKind.Array)
                        {
                            text.Append('[').Append(index).Append(']');
                            current = btf.SkipModifiersAndTypedefs(current.Array.ElementType);
                        }
                        else
                            break;
                    }
                    break;
            }
        }
        catch (BpfObjectException)
        {
            // A damaged type still leaves the raw numbers to show.
        }
        return text.Append($" (type [{relo.TypeId}], access \"{relo.AccessString}\")").ToString();
    }

    /// <summary>What the kernel's BTF lacks when the relocation fails: a field, an enum value or a type.</summary>
    public static string Missing(BtfCoreRelo relo) => relo.Kind switch
    {
        <= BtfCoreReloKind.FieldRShiftU64 => "such field (or one of a type CO-RE cannot bridge)",
        BtfCoreReloKind.EnumvalExists or BtfCoreReloKind.EnumvalValue => "such enum value",
        _ => "such type",
    };

    private static string TypeName(BtfType? type) => type is null
        ? "void"
        : type.Kind switch
        {
            BtfKind.Struct => $"struct {type.Name}",
            BtfKind.Union => $"union {type.Name}",
            BtfKind.Enum or BtfKind.Enum64 => $"enum {type.Name}",
            _ => type.Name.Length == 0 ? type.ToString() : type.Name,
        };
}
