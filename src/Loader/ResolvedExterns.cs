namespace CpuMap.Managed.Loader;

/// <summary>What the linker writes for an object's externs: __ksym kernel BTF ids, and __kconfig offsets in the .kconfig map.</summary>
internal sealed record ResolvedExterns(KernelSymbols Symbols, IReadOnlyDictionary<string, int> KconfigOffsets);
