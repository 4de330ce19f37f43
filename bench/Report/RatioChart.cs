using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace CpuMap.Managed.Bench.Report;

/// <summary>
/// The chart of every ratio against a C twin, drawn by gnuplot (scripts/bench installs
/// gnuplot-nox): one bar per row from 1 to its ratio on a log scale, so rows faster than C point
/// left and slower ones right; green where a target is met, red where one is missed, blue where
/// the issue sets none. The data and script stay beside the results for anyone who wants to redraw it.
/// </summary>
internal static class RatioChart
{
    private const int MetColour = 0x2e8b57, MissedColour = 0xc0392b, NoTargetColour = 0x4f81bd;

    internal static void Draw(BenchResults results, IReadOnlyList<TargetVerdict> verdicts, string pngPath, string workDirectory)
    {
        var bars = results.Rows
            .Select(row => (Row: row, Ratio: results.RatioOf(row)))
            .Where(b => b.Ratio is not null)
            .ToArray();
        if (bars.Length == 0)
            throw new InvalidOperationException("No row has a C twin, so there is no ratio to draw.");

        Directory.CreateDirectory(workDirectory);
        var data = Path.Combine(workDirectory, "ratios.dat");
        var script = Path.Combine(workDirectory, "ratios.gp");
        var lines = new StringBuilder();
        for (var i = 0; i < bars.Length; i++)
        {
            var (row, ratio) = bars[i];
            var verdict = verdicts.FirstOrDefault(v => v.Subject == row.Group && row.IsManaged);
            var colour = verdict is null ? NoTargetColour : verdict.Met ? MetColour : MissedColour;
            var label = $"{row.Group}: {row.Implementation}".Replace("\"", "'", StringComparison.Ordinal);
            lines.Append(CultureInfo.InvariantCulture, $"{i} {ratio!.Value:R} {colour} \"{label}\"\n");
        }
        File.WriteAllText(data, lines.ToString());

        var ratios = bars.Select(b => b.Ratio!.Value).ToArray();
        var xMin = Math.Pow(10, Math.Floor(Math.Log10(Math.Min(ratios.Min(), 1) / 1.5)));
        var xMax = Math.Pow(10, Math.Ceiling(Math.Log10(Math.Max(ratios.Max(), 1) * 1.5)));
        var height = 140 + 26 * bars.Length;
        File.WriteAllText(script, string.Create(CultureInfo.InvariantCulture, $$"""
            set terminal pngcairo noenhanced size 1200,{{height}} font "DejaVu Sans,10"
            set output '{{pngPath}}'
            set title "Each row against its C twin ({{results.Machine.RunAt:yyyy-MM-dd}}): left of 1 is faster than C, right is slower"
            set logscale x 10
            set xrange [{{xMin:R}}:{{xMax:R}}]
            set yrange [{{bars.Length - 0.3}}:-0.7]
            set xlabel "median time / median time of the C twin (log scale)"
            set grid xtics mxtics
            set mxtics 10
            set ytics nomirror
            set border 3
            unset key
            set arrow from 1, graph 0 to 1, graph 1 nohead lw 2 lc rgb "#333333"
            set style fill solid 0.85 noborder
            plot '{{data}}' using (sqrt($2)):1:($2 < 1 ? $2 : 1):($2 < 1 ? 1 : $2):($1 - 0.36):($1 + 0.36):3:ytic(4) with boxxyerror lc rgb variable, \
                 '' using ($2 < 1 ? 1 : $2):1:(sprintf("%.3f", $2)) with labels left offset 0.5,0 tc rgb "#222222" font ",9"
            """));
        Gnuplot(script);
    }

    private static void Gnuplot(string script)
    {
        Process process;
        try
        {
            process = Process.Start(new ProcessStartInfo("gnuplot", [script]) { RedirectStandardError = true, UseShellExecute = false })!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException(
                "gnuplot draws the ratio chart but is not installed; install it (apt-get install gnuplot-nox) or run scripts/bench, which does.", e);
        }
        using (process)
        {
            var errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"gnuplot failed on {script} (exit {process.ExitCode}): {errors}");
        }
    }
}
