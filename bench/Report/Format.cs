using System.Globalization;

namespace CpuMap.Managed.Bench.Report;

/// <summary>Numbers as the report prints them: times with a unit that keeps three or four digits.</summary>
internal static class Format
{
    internal static string Time(double ns) => Math.Abs(ns) switch
    {
        < 10 => $"{ns.ToString("F2", CultureInfo.InvariantCulture)} ns",
        < 1_000 => $"{ns.ToString("F1", CultureInfo.InvariantCulture)} ns",
        < 1_000_000 => $"{(ns / 1e3).ToString("F2", CultureInfo.InvariantCulture)} µs",
        _ => $"{(ns / 1e6).ToString("F2", CultureInfo.InvariantCulture)} ms",
    };

    internal static string Bytes(double? bytes) => bytes switch
    {
        null => "n/a",
        < 1024 => $"{bytes.Value.ToString("0.#", CultureInfo.InvariantCulture)} B",
        _ => $"{(bytes.Value / 1024).ToString("F1", CultureInfo.InvariantCulture)} KiB",
    };

    internal static string Ratio(double? ratio) => ratio is { } r ? r.ToString(r < 0.01 ? "F4" : "F3", CultureInfo.InvariantCulture) : "";
}
