using System.Reflection;
using BenchmarkDotNet.Attributes;

namespace CpuMap.Managed.Bench.Harness;

/// <summary>One managed method compared with its C twin: what each left behind, from the same state.</summary>
/// <param name="Row">Class, map and category, as the report names the row.</param>
/// <param name="Managed">The managed method.</param>
/// <param name="Baseline">The C method.</param>
/// <param name="ManagedResult">What the managed method left (<see cref="ITwinObservable.Observe"/>).</param>
/// <param name="BaselineResult">What the C method left.</param>
public sealed record TwinComparison(string Row, string Managed, string Baseline, string ManagedResult, string BaselineResult)
{
    public bool Agree => ManagedResult == BaselineResult;
}

/// <summary>
/// Runs every managed benchmark method of the classes that can be observed and its C twin once
/// each, on fresh maps from the same prepared state, and compares the map contents and the bytes
/// read. The timings say how fast; this says the twins did the same work.
/// </summary>
internal static class TwinCheck
{
    internal static IReadOnlyList<TwinComparison> Run(IEnumerable<Type> classes)
    {
        var comparisons = new List<TwinComparison>();
        foreach (var type in classes.Where(t => typeof(ITwinObservable).IsAssignableFrom(t)))
        foreach (var map in BenchmarkInvoker.MapValues(type))
        foreach (var category in BenchmarkInvoker.Methods(type).GroupBy(Category))
        foreach (var managed in category.Where(m => m.Name.EndsWith(ManagedSuffix, StringComparison.Ordinal)))
        {
            var baseline = TwinOf(managed, category);
            comparisons.Add(new TwinComparison($"{type.Name} {map} {category.Key}", managed.Name, baseline.Name,
                Outcome(type, managed, map), Outcome(type, baseline, map)));
        }
        return comparisons;
    }

    /// <summary>A fresh instance (its own maps), prepared, one call, then what it left.</summary>
    private static string Outcome(Type type, MethodInfo method, string? map)
    {
        using var invoker = BenchmarkInvoker.Create(type, method.Name, map);
        invoker.IterationSetup();
        var observable = (ITwinObservable)invoker.Instance;
        observable.Prepare(method.Name);
        invoker.Invoke();
        return observable.Observe(method.Name);
    }

    private const string ManagedSuffix = "_Managed";

    /// <summary>X_C for X_Managed where the class has it (two pairs may share a category), else the category's baseline.</summary>
    private static MethodInfo TwinOf(MethodInfo managed, IEnumerable<MethodInfo> category)
    {
        var name = managed.Name[..^ManagedSuffix.Length] + "_C";
        return category.FirstOrDefault(m => m.Name == name) ?? category.Single(IsBaseline);
    }

    private static string Category(MethodInfo method) => method.GetCustomAttribute<BenchmarkCategoryAttribute>()?.Categories.Single() ?? "";

    private static bool IsBaseline(MethodInfo method) => method.GetCustomAttribute<BenchmarkAttribute>()!.Baseline;
}
