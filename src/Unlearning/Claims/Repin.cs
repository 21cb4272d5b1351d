using System.Globalization;
using System.Text;

namespace Unlearning.Claims;

/// <summary>
/// Re-pinning on purpose after a change that moves what the scenarios produce (an architecture, a scenario's epochs or
/// poison share): a run's <c>*.received.json</c> replaces its verified file. The values are the new run's; a tolerance is
/// the larger of the new noise tolerance and the one pinned before, which holds the spread measured across CPUs, thread
/// counts and seeds (<see cref="SeedSpread"/>) — a spread of the same quantity that a change of model does not reset.
/// </summary>
public static class Repin
{
    /// <summary>One pinned value before and after.</summary>
    public sealed record Row(string Name, string Key, double? Old, double New, double? OldTolerance, double NoiseTolerance, double Tolerance);

    /// <summary>The verified file that replaces <paramref name="old"/> (null: a new pin) with <paramref name="received"/>'s values.</summary>
    public static (PinFile Pin, IReadOnlyList<Row> Rows) Replace(PinFile? old, PinFile received)
    {
        var tolerances = new SortedDictionary<string, double>(StringComparer.Ordinal);
        var rows = new List<Row>();
        foreach (var (key, value) in received.Metrics)
        {
            double noise = received.Tolerances.TryGetValue(key, out double t) ? t : 0;
            double? before = old != null && old.Metrics.TryGetValue(key, out double b) ? b : null;
            double? beforeTolerance = old != null && old.Tolerances.TryGetValue(key, out double bt) ? bt : null;
            double tolerance = Math.Max(noise, beforeTolerance ?? 0);
            tolerances[key] = tolerance;
            rows.Add(new Row(received.Name, key, before, value, beforeTolerance, noise, tolerance));
        }
        return (received with { Tolerances = tolerances }, rows);
    }

    /// <summary>The rows as a Markdown table: old → new value, the shift in units of the old tolerance, and the tolerances.</summary>
    public static string Markdown(IReadOnlyList<Row> rows)
    {
        static string F(double? v) => v is { } x ? x.ToString("G5", CultureInfo.InvariantCulture) : "–";
        var sb = new StringBuilder("| pin | value | old | new | shift (old tolerances) | old tolerance | noise tolerance | tolerance |\n|---|---|---|---|---|---|---|---|\n");
        foreach (var r in rows)
        {
            string shift = r.Old is { } o && r.OldTolerance is > 0 ? ((r.New - o) / r.OldTolerance.Value).ToString("+0.0;−0.0", CultureInfo.InvariantCulture) : "–";
            sb.Append($"| {r.Name} | {r.Key} | {F(r.Old)} | {F(r.New)} | {shift} | {F(r.OldTolerance)} | {F(r.NoiseTolerance)} | {F(r.Tolerance)} |\n");
        }
        return sb.ToString();
    }
}
