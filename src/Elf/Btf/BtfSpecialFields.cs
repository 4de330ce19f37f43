namespace CpuMap.Managed.Elf.Btf;

/// <summary>
/// The fields of a map value the kernel manages itself and accepts only in a map created with BTF (BPF_MAP_CREATE's
/// btf_fd and btf_value_type_id), as its btf_parse_fields finds them: bpf_spin_lock, bpf_timer and the like, and kptrs
/// (pointers tagged "kptr", "kptr_untrusted" or "percpu_kptr"). Maps are otherwise created without BTF here.
/// </summary>
public static class BtfSpecialFields
{
    // The kernel's BPF_* special structs (btf_get_field_type), as of Linux 6.18.
    private static readonly string[] Structs =
    [
        "bpf_spin_lock", "bpf_res_spin_lock", "bpf_timer", "bpf_wq", "bpf_task_work", "bpf_list_head", "bpf_list_node",
        "bpf_rb_root", "bpf_rb_node", "bpf_refcount",
    ];

    private static readonly string[] KptrTags = ["kptr", "kptr_untrusted", "percpu_kptr", "kptr_ref"];

    // Deeper nesting than this is a loop in corrupt BTF (the kernel stops at a similar depth).
    private const int MaxDepth = 32;

    /// <summary>The special fields of type <paramref name="typeId"/> (struct names, or "kptr"), each once; empty when there are none.</summary>
    public static IReadOnlyList<string> Of(BtfTypes btf, uint typeId)
    {
        ArgumentNullException.ThrowIfNull(btf);
        var found = new List<string>();
        Walk(btf, typeId, found, 0);
        return found;
    }

    private static void Walk(BtfTypes btf, uint typeId, List<string> found, int depth)
    {
        if (depth > MaxDepth || typeId == 0)
            return;
        var type = btf[typeId]!;
        switch (type.Kind)
        {
            case BtfKind.Struct when Array.IndexOf(Structs, type.Name) >= 0:
                Add(found, type.Name);
                return;
            case BtfKind.Struct or BtfKind.Union:
                foreach (var member in type.Members)
                    Walk(btf, member.Type, found, depth + 1);
                return;
            case BtfKind.Array:
                Walk(btf, type.Array.ElementType, found, depth + 1);
                return;
            case BtfKind.Typedef or BtfKind.Volatile or BtfKind.Const or BtfKind.Restrict:
                Walk(btf, type.Type, found, depth + 1);
                return;
            case BtfKind.Ptr:
                // A kptr is a pointer to a type tagged kptr: PTR -> TYPE_TAG "kptr" -> STRUCT.
                for (var target = btf[type.Type]; target is { Kind: BtfKind.TypeTag or BtfKind.Const or BtfKind.Volatile }; target = btf[target.Type])
                    if (target.Kind == BtfKind.TypeTag && Array.IndexOf(KptrTags, target.Name) >= 0)
                    {
                        Add(found, "kptr");
                        return;
                    }
                return;
        }
    }

    private static void Add(List<string> found, string name)
    {
        if (!found.Contains(name))
            found.Add(name);
    }
}
