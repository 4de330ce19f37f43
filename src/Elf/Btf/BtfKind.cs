namespace CpuMap.Managed.Elf.Btf;

/// <summary>BTF_KIND_* from the kernel's include/uapi/linux/btf.h.</summary>
public enum BtfKind : byte
{
    /// <summary><c>BTF_KIND_UNKN</c>: no kind; never a valid type record.</summary>
    Unknown = 0,
    /// <summary><c>BTF_KIND_INT</c>: an integer, with encoding, bit offset and bit count.</summary>
    Int = 1,
    /// <summary><c>BTF_KIND_PTR</c>: a pointer to type.</summary>
    Ptr = 2,
    /// <summary><c>BTF_KIND_ARRAY</c>: an array of element type, index type and count.</summary>
    Array = 3,
    /// <summary><c>BTF_KIND_STRUCT</c>: a struct with vlen members.</summary>
    Struct = 4,
    /// <summary><c>BTF_KIND_UNION</c>: a union with vlen members.</summary>
    Union = 5,
    /// <summary><c>BTF_KIND_ENUM</c>: an enum with vlen 32-bit values.</summary>
    Enum = 6,
    /// <summary><c>BTF_KIND_FWD</c>: a forward declaration (kind flag set: of a union).</summary>
    Fwd = 7,
    /// <summary><c>BTF_KIND_TYPEDEF</c>: a name for type.</summary>
    Typedef = 8,
    /// <summary><c>BTF_KIND_VOLATILE</c>: the volatile modifier.</summary>
    Volatile = 9,
    /// <summary><c>BTF_KIND_CONST</c>: the const modifier.</summary>
    Const = 10,
    /// <summary><c>BTF_KIND_RESTRICT</c>: the restrict modifier.</summary>
    Restrict = 11,
    /// <summary><c>BTF_KIND_FUNC</c>: a function; type is its FUNC_PROTO, vlen its linkage.</summary>
    Func = 12,
    /// <summary><c>BTF_KIND_FUNC_PROTO</c>: a function signature: return type and vlen parameters.</summary>
    FuncProto = 13,
    /// <summary><c>BTF_KIND_VAR</c>: a global or static variable, with its linkage.</summary>
    Var = 14,
    /// <summary><c>BTF_KIND_DATASEC</c>: an ELF data section (.data, .bss, .maps...) and the variables in it.</summary>
    Datasec = 15,
    /// <summary><c>BTF_KIND_FLOAT</c>: a floating-point type of size bytes.</summary>
    Float = 16,
    /// <summary><c>BTF_KIND_DECL_TAG</c>: a btf_decl_tag attribute on a declaration, member or parameter.</summary>
    DeclTag = 17,
    /// <summary><c>BTF_KIND_TYPE_TAG</c>: a btf_type_tag attribute on a pointee type (e.g. __user, __percpu).</summary>
    TypeTag = 18,
    /// <summary><c>BTF_KIND_ENUM64</c>: an enum with vlen 64-bit values.</summary>
    Enum64 = 19,
}
