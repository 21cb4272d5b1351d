using System.Globalization;
using System.Text;
using Unlearning.Reporting;

namespace Unlearning.Claims;

/// <summary>
/// Tolerances from the run-to-run spread. A value whose outcome is chaotic across seeds or CPUs (a learning rate the grid
/// picks one way or the other, a method that sometimes collapses) moves by more than its own sampling noise; binomial or
/// Hanley–McNeil tolerances cannot cover that. The same variants run from K seeds (each a replicate with its own split,
/// initialisation and draws) give each pinned value's standard deviation across seeds; its tolerance becomes the larger
/// of its noise tolerance and <see cref="Measured.Sigmas"/> of those standard deviations. Pinned values are not changed.
/// </summary>
public static class SeedSpread
{
    /// <summary>One pinned value over the seeds: its values by seed, their sample standard deviation, and the tolerances before and after.</summary>
    public sealed record Row(string Claim, string Variant, string Key, IReadOnlyList<double> Values, double Std, double NoiseTolerance, double Tolerance);

    /// <summary>
    /// The spread of every value pinned in the first run (seed 1's, the one the tests pin) over the runs of all seeds, for
    /// the variants every run finished; <paramref name="runs"/> in seed order.
    /// </summary>
    public static IReadOnlyList<Row> Measure(IReadOnlyList<RunResults> runs)
    {
        if (runs.Count < 2) throw new ArgumentException($"a spread over seeds needs two runs or more, got {runs.Count}");
        var rows = new List<Row>();
        foreach (var first in runs[0].Claims.Where(c => c.Verdict != Verdicts.Skipped))
        {
            var same = runs.Select(r => r.Claims.FirstOrDefault(c => c.Claim == first.Claim && c.Variant == first.Variant && c.Verdict != Verdicts.Skipped)).ToList();
            if (same.Any(c => c == null)) continue;
            foreach (var (key, m) in first.Values.Where(v => v.Value.Pinned))
            {
                var values = same.Select(c => c!.Values.TryGetValue(key, out var v) ? v.Value : double.NaN).ToList();
                if (values.Any(v => !double.IsFinite(v))) continue;
                double std = Metrics.SampleStatistics.Std(values.ToArray());
                rows.Add(new Row(first.Claim, first.Variant, key, values, std, m.Tolerance, Math.Max(m.Tolerance, Measured.Sigmas * std)));
            }
        }
        return rows;
    }

    /// <summary>
    /// The spread of a verified file's values against a replicate of them — its <c>*.received.json</c> from a run on another
    /// CPU, thread count or seed: two values per key, so the standard deviation is |a − b| / √2 (a coarse estimate, and
    /// said so in the report). Keys pinned in both only.
    /// </summary>
    public static IReadOnlyList<Row> FromReplicate(PinFile verified, PinFile replicate)
    {
        var rows = new List<Row>();
        foreach (var (key, pinned) in verified.Metrics)
        {
            if (!replicate.Metrics.TryGetValue(key, out double other) || !double.IsFinite(pinned) || !double.IsFinite(other)) continue;
            double noise = verified.Tolerances.TryGetValue(key, out double t) ? t : 0;
            double std = Math.Abs(pinned - other) / Math.Sqrt(2);
            rows.Add(new Row(ClaimOf(verified.Name), verified.Variant, key, [pinned, other], std, noise, Math.Max(noise, Measured.Sigmas * std)));
        }
        return rows;
    }

    /// <summary>The claim id of a snapshot name ("P.T1.values.S_f10pct" → "P.T1.values"): the longest catalog id it starts with.</summary>
    private static string ClaimOf(string name) =>
        ClaimCatalog.All.Select(c => c.Id).Where(id => name == id || name.StartsWith(id + ".", StringComparison.Ordinal)).MaxBy(id => id.Length) ?? name;

    /// <summary>
    /// Widens the tolerances of the verified files under <paramref name="snapshots"/>/<paramref name="scale"/> to the rows'
    /// (a tolerance is never narrowed below the one written there); returns the files rewritten and the variants with no
    /// verified file (never pinned: the tests pin them first).
    /// </summary>
    public static (IReadOnlyList<string> Written, IReadOnlyList<string> Unpinned) Apply(IReadOnlyList<Row> rows, string snapshots, string scale)
    {
        var written = new List<string>();
        var unpinned = new List<string>();
        foreach (var variant in rows.GroupBy(r => (r.Claim, r.Variant)))
        {
            string path = Path.Combine(snapshots, scale, PinFile.NameOf(variant.Key.Claim, variant.Key.Variant) + ".verified.json");
            if (!File.Exists(path)) { unpinned.Add($"{variant.Key.Claim} [{variant.Key.Variant}]"); continue; }
            var pins = PinFile.Read(path);
            var tolerances = new SortedDictionary<string, double>(pins.Tolerances, StringComparer.Ordinal);
            bool changed = false;
            foreach (var r in variant.Where(r => pins.Metrics.ContainsKey(r.Key)))
            {
                double before = tolerances.TryGetValue(r.Key, out double t) ? t : r.NoiseTolerance;
                if (r.Tolerance > before) { tolerances[r.Key] = r.Tolerance; changed = true; }
            }
            if (!changed) continue;
            (pins with { Tolerances = tolerances }).Write(path);
            written.Add(path);
        }
        return (written, unpinned);
    }

    /// <summary>The rows as a Markdown table: value by seed, standard deviation, noise tolerance, and the tolerance from the spread.</summary>
    public static string Markdown(IReadOnlyList<Row> rows)
    {
        static string F(double v) => v.ToString("G4", CultureInfo.InvariantCulture);
        var sb = new StringBuilder("| claim | variant | value | by seed | std | noise tolerance | tolerance |\n|---|---|---|---|---|---|---|\n");
        foreach (var r in rows)
            sb.Append($"| {r.Claim} | {r.Variant} | {r.Key} | {string.Join(" / ", r.Values.Select(F))} | {F(r.Std)} | {F(r.NoiseTolerance)} | {(r.Tolerance > r.NoiseTolerance ? "**" + F(r.Tolerance) + "**" : F(r.Tolerance))} |\n");
        return sb.ToString();
    }
}
