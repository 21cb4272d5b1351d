using System.Globalization;
using System.Reflection;
using System.Text;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Reproduce.Bench;

/// <summary>
/// A performance goal of a benchmark: the ratio of its mean time to the mean time of <see cref="Against"/> (by default the
/// class's baseline, with the same parameters) must be at most (<c>≤</c>) or at least (<c>≥</c>) <paramref name="bound"/>.
/// <paramref name="paper"/> says what the paper reports for the same ratio.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class GoalAttribute(string claim, string relation, double bound, string paper) : Attribute
{
    /// <summary>The claim or issue item the goal belongs to.</summary>
    public string Claim { get; } = claim;

    /// <summary><c>≤</c> or <c>≥</c>.</summary>
    public string Relation { get; } = relation is "≤" or "≥" ? relation : throw new ArgumentException($"relation '{relation}' is not ≤ or ≥", nameof(relation));

    /// <summary>The bound on the ratio.</summary>
    public double Bound { get; } = bound;

    /// <summary>The paper's value of the ratio, as text.</summary>
    public string Paper { get; } = paper;

    /// <summary>The benchmark method the ratio divides by; null = the class's baseline.</summary>
    public string? Against { get; init; }

    /// <summary>Whether <paramref name="ratio"/> meets the goal.</summary>
    public bool Met(double ratio) => Relation == "≤" ? ratio <= Bound : ratio >= Bound;
}

/// <summary>
/// The one table a <c>bench</c> run ends with: every benchmark that carries a <see cref="GoalAttribute"/>, its ratio
/// measured in this run, the goal, the paper's value and whether the goal is met. Written to the console and, atomically,
/// to <c>BenchmarkDotNet.Artifacts/results/goals.md</c>.
/// </summary>
public static class GoalSummary
{
    /// <summary>The goal rows of the summaries (benchmarks without a goal, or whose runs failed, are left out or marked).</summary>
    public static IReadOnlyList<string[]> Rows(IEnumerable<Summary> summaries)
    {
        var rows = new List<string[]>();
        foreach (var summary in summaries)
        {
            foreach (var report in summary.Reports)
            {
                var goal = report.BenchmarkCase.Descriptor.WorkloadMethod.GetCustomAttribute<GoalAttribute>();
                if (goal == null) continue;
                var against = summary.Reports.FirstOrDefault(r =>
                    SameParameters(r.BenchmarkCase, report.BenchmarkCase) &&
                    (goal.Against == null ? r.BenchmarkCase.Descriptor.Baseline : r.BenchmarkCase.Descriptor.WorkloadMethod.Name == goal.Against));
                string name = Describe(report.BenchmarkCase);
                string over = against == null ? "?" : Describe(against.BenchmarkCase);
                double? mine = report.ResultStatistics?.Mean, theirs = against?.ResultStatistics?.Mean;
                if (mine is not double a || theirs is not double b || b <= 0)
                {
                    rows.Add([goal.Claim, $"{name} / {over}", "no result", $"{goal.Relation} {Format(goal.Bound)}", goal.Paper, "not measured"]);
                    continue;
                }
                double ratio = a / b;
                rows.Add([goal.Claim, $"{name} / {over}", $"{Format(ratio)} ({Seconds(a)} / {Seconds(b)})", $"{goal.Relation} {Format(goal.Bound)}", goal.Paper,
                    goal.Met(ratio) ? "met" : "not met"]);
            }
        }
        return rows;
    }

    /// <summary>Prints the table and writes it next to BenchmarkDotNet's own results.</summary>
    public static void Write(IEnumerable<Summary> summaries, TextWriter console)
    {
        var list = summaries.ToList();
        var rows = Rows(list);
        if (rows.Count == 0) return;
        var text = new StringBuilder();
        text.AppendLine("## Goals (ratios of mean times measured in this run)").AppendLine();
        text.AppendLine("| claim | ratio | ours | goal | paper | verdict |");
        text.AppendLine("|---|---|---|---|---|---|");
        foreach (var r in rows) text.AppendLine("| " + string.Join(" | ", r) + " |");
        console.WriteLine();
        console.Write(text.ToString());
        string dir = list.Select(s => s.ResultsDirectoryPath).FirstOrDefault(p => !string.IsNullOrEmpty(p)) ?? Path.Combine("BenchmarkDotNet.Artifacts", "results");
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, "goals.md");
        Unlearning.Data.AtomicFile.WriteAllText(path, text.ToString());
        console.WriteLine($"(written to {path})");
    }

    private static bool SameParameters(BenchmarkCase a, BenchmarkCase b) =>
        a.Descriptor.Type == b.Descriptor.Type && a.Parameters.DisplayInfo == b.Parameters.DisplayInfo;

    private static string Describe(BenchmarkCase c)
    {
        string name = c.Descriptor.WorkloadMethodDisplayInfo.Trim('\'');
        return c.HasParameters ? $"{name} [{c.Parameters.DisplayInfo}]" : name;
    }

    private static string Format(double v) => v.ToString(v >= 10 ? "0.0" : "0.00", CultureInfo.InvariantCulture);

    private static string Seconds(double nanoseconds) => (nanoseconds / 1e9).ToString(nanoseconds >= 1e10 ? "0.0" : "0.00", CultureInfo.InvariantCulture) + " s";
}
