using System.Reflection;
using BenchmarkDotNet.Attributes;

namespace CpuMap.Managed.Bench.Harness;

/// <summary>
/// Runs one benchmark method outside BenchmarkDotNet, with its setups and cleanup: for counting
/// the allocations of the calling thread alone, and for repeating it under strace or perf.
/// </summary>
internal sealed class BenchmarkInvoker : IDisposable
{
    private readonly object _instance;
    private readonly Action _invoke;
    private readonly MethodInfo? _iterationSetup;
    private readonly MethodInfo? _globalCleanup;

    private BenchmarkInvoker(object instance, MethodInfo method, MethodInfo? iterationSetup, MethodInfo? globalCleanup)
    {
        Method = method;
        _instance = instance;
        _invoke = method.ReturnType == typeof(void)
            ? method.CreateDelegate<Action>(instance)
            : (Action)typeof(BenchmarkInvoker).GetMethod(nameof(Discarding), BindingFlags.NonPublic | BindingFlags.Static)!
                .MakeGenericMethod(method.ReturnType).Invoke(null, [method, instance])!;
        _iterationSetup = iterationSetup;
        _globalCleanup = globalCleanup;
        OperationsPerInvoke = method.GetCustomAttribute<BenchmarkAttribute>()!.OperationsPerInvoke;
    }

    internal MethodInfo Method { get; }

    /// <summary>The benchmark class's instance the method runs on.</summary>
    internal object Instance => _instance;

    /// <summary>Operations one call of the method makes (its OperationsPerInvoke).</summary>
    internal int OperationsPerInvoke { get; }

    /// <summary>Every benchmark method of <paramref name="type"/>, by name.</summary>
    internal static IEnumerable<MethodInfo> Methods(Type type)
        => type.GetMethods().Where(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null);

    /// <summary>The values of the class's Map parameter, or a single null when it has none.</summary>
    internal static IReadOnlyList<string?> MapValues(Type type)
        => type.GetProperty("Map")?.GetCustomAttribute<ParamsAttribute>()?.Values.Cast<string?>().ToArray() ?? [null];

    /// <summary>Creates the class, sets its Map parameter and runs its [GlobalSetup].</summary>
    internal static BenchmarkInvoker Create(Type type, string methodName, string? map)
    {
        var method = Methods(type).FirstOrDefault(m => m.Name == methodName)
            ?? throw new ArgumentException(
                $"{type.Name} has no benchmark '{methodName}'; it has {string.Join(", ", Methods(type).Select(m => m.Name))}.", nameof(methodName));
        var instance = Activator.CreateInstance(type)!;
        var maps = MapValues(type);
        if (!maps.Contains(map))
            throw new ArgumentException(maps[0] is null
                ? $"{type.Name} has no Map parameter; leave --map out."
                : $"{type.Name} needs --map with one of {string.Join(", ", maps)}{(map is null ? "" : $", not '{map}'")}.", nameof(map));
        if (map is not null)
            type.GetProperty("Map")!.SetValue(instance, map);
        type.GetMethods().FirstOrDefault(m => m.GetCustomAttribute<GlobalSetupAttribute>() is not null)?.Invoke(instance, null);
        return new BenchmarkInvoker(instance, method, IterationSetupOf(type, methodName),
            type.GetMethods().FirstOrDefault(m => m.GetCustomAttribute<GlobalCleanupAttribute>() is not null));
    }

    /// <summary>
    /// An invoker of another method of the same class on the same instance (the same maps and
    /// fds), as BenchmarkDotNet runs twins; disposing it leaves the instance to this invoker.
    /// </summary>
    internal BenchmarkInvoker Sibling(MethodInfo method)
        => new(_instance, method, IterationSetupOf(_instance.GetType(), method.Name), globalCleanup: null);

    private static MethodInfo? IterationSetupOf(Type type, string methodName)
        => type.GetMethods().FirstOrDefault(m => m.GetCustomAttribute<IterationSetupAttribute>() is { } a && Applies(a.Targets, methodName));

    /// <summary>What an iteration does before it is measured (refilling what the method consumes).</summary>
    internal void IterationSetup() => _iterationSetup?.Invoke(_instance, null);

    /// <summary>One invocation of the method, through a delegate: MethodInfo.Invoke would box the result and count it.</summary>
    internal void Invoke() => _invoke();

    public void Dispose() => _globalCleanup?.Invoke(_instance, null);

    private static Action Discarding<T>(MethodInfo method, object instance)
    {
        var call = method.CreateDelegate<Func<T>>(instance);
        return () => Sink<T>.Value = call();
    }

    private static bool Applies(string[]? targets, string method) => targets is null || targets.Length == 0 || targets.Contains(method);
}

/// <summary>Where results go so that the JIT cannot drop the calls that make them.</summary>
internal static class Sink<T>
{
    internal static T? Value;
}
