using System.Globalization;
using System.Text;
using Unlearning.Claims;

namespace Unlearning.Reporting;

/// <summary>Renders <see cref="RunResults"/> as <c>report.md</c> and <c>results.csv</c>.</summary>
public static class MarkdownReport
{
    private static string F(double v) => double.IsNaN(v) ? "–" : v.ToString("0.0000", CultureInfo.InvariantCulture);

    /// <summary>The Markdown report.</summary>
    public static string Render(RunResults r, IReadOnlyDictionary<string, string>? figures = null)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Reproduction report").AppendLine();
        sb.AppendLine($"Started {r.Environment.StartedUtc:yyyy-MM-dd HH:mm} UTC · {r.Environment.Torch} · device {r.Environment.Device} · {r.Environment.Dotnet} · {r.Environment.Os}").AppendLine();
        sb.AppendLine($"Verdicts: **{Verdicts.Reproduced}** — every check of an order or trend claim holds outright (✓; a value claim: " +
                      $"matches at paper scale); **{Verdicts.WithinNoise}** — every check holds, but some (marked ≈) only through the noise " +
                      $"margin the check states: the measured order is reversed there by less than that margin; **{Verdicts.Deviates}** — a check fails (✗), the note " +
                      $"says why; **{Verdicts.NeedsPaperScale}** — a value measured at a reduced scale, shown beside the paper's; " +
                      $"**{Verdicts.Skipped}** — not run, with the reason.").AppendLine();
        sb.AppendLine("## Base models").AppendLine();
        sb.AppendLine("| scenario | hash | data | model | train / test | train acc | test acc | cached | s | images/s |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var b in r.BaseModels)
            sb.AppendLine($"| {b.Scenario} | `{b.Hash}` | {b.Dataset} | {b.Model} | {b.Train} / {b.Test} | {F(b.TrainAccuracy)} | {F(b.TestAccuracy)} | {(b.FromCache ? "yes" : "no")} | {b.Seconds:0.0} | {b.ImagesPerSecond:0} |");
        if (figures != null)
            foreach (var (caption, file) in figures) sb.AppendLine().AppendLine($"![{caption}]({file})");
        sb.AppendLine();
        foreach (var paper in ClaimCatalog.All.GroupBy(c => c.Paper))
        {
            sb.AppendLine($"## {paper.Key}").AppendLine();
            sb.AppendLine("| claim | where | kind | the paper says | paper value | ours | verdict | scale | seeds | s | note |");
            sb.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
            foreach (var c in paper)
            {
                var rows = r.Claims.Where(x => x.Claim == c.Id).ToList();
                if (rows.Count == 0) sb.AppendLine($"| {c.Id} | {c.Where} | {c.Kind} | {Esc(c.Text)} | | | {Verdicts.Skipped} | | | | {NotRunNote(r.Environment, c.Id)} |");
                foreach (var x in rows)
                    sb.AppendLine($"| {c.Id}{(x.Variant.Length > 0 ? " · " + Esc(x.Variant) : "")} | {c.Where} | {c.Kind} | {Esc(c.Text)} | {Esc(x.PaperValue)} | {Esc(x.Ours)} | **{x.Verdict}** | {x.Scale} | {x.Seeds} | {x.Seconds:0.0} | {Esc(x.Note)} |");
            }
            sb.AppendLine();
            var ran = r.Claims.Where(x => paper.Any(c => c.Id == x.Claim)).ToList();
            foreach (var f in ran.SelectMany(x => x.Figures).DistinctBy(f => f.File))
                sb.AppendLine($"![{Esc(f.Title)}](figures/{f.File})").AppendLine();
            var details = ran.Where(x => x.Checks.Count > 0 || x.Values.Any(v => v.Value.Paper != null)).ToList();
            if (details.Count > 0)
            {
                sb.AppendLine("<details><summary>checks and values, variant by variant</summary>").AppendLine();
                foreach (var x in details)
                {
                    sb.AppendLine($"**{x.Claim} · {Esc(x.Variant)}** — {x.Verdict}").AppendLine();
                    foreach (var check in x.Checks.OrderBy(k => k.Holds).ThenBy(k => !k.WithinNoise)) sb.AppendLine($"- {check.Mark} {Esc(check.Text)}");
                    if (x.Values.Count > 0)
                    {
                        if (x.Checks.Count > 0) sb.AppendLine();
                        sb.AppendLine("| value | paper | ours |").AppendLine("|---|---|---|");
                        foreach (var (k, v) in x.Values) sb.AppendLine($"| {Esc(k)} | {(v.Paper is { } p ? F(p) : "–")} | {F(v.Value)} |");
                    }
                    sb.AppendLine();
                }
                sb.AppendLine("</details>").AppendLine();
            }
        }
        sb.AppendLine("## Data").AppendLine();
        sb.AppendLine("| file | checksum | detail |").AppendLine("|---|---|---|");
        foreach (var f in r.Environment.DataFiles) sb.AppendLine($"| `{f.Path}` | {f.Status} | {Esc(f.Detail)} |");
        return sb.ToString();
    }

    /// <summary>Why a claim of the catalog has no row: the run's filter left it out, or <c>reproduce run</c> has no variant of it.</summary>
    public static string NotRunNote(RunEnvironment env, string claim)
    {
        bool runnable = env.RunClaims?.Contains(claim) ?? false;
        if (runnable && env.Selection != null) return $"not selected by this run ({Esc(env.Selection)}); `reproduce run --claim {claim}` runs it";
        if (runnable) return $"not reached by the run (yet); `reproduce run --claim {claim}` runs it";
        string test = $"`dotnet test --filter \"Claim={claim}\"` runs its theory or property where this build has one";
        return env.RunClaims == null ? $"not run by `reproduce run`; {test}" : $"`reproduce run` has no variant of it at this scale; {test}";
    }

    /// <summary>One row per claim × variant.</summary>
    public static string Csv(RunResults r)
    {
        var sb = new StringBuilder("claim,variant,verdict,paper_value,ours,scale,seeds,seconds,note\n");
        foreach (var x in r.Claims)
            sb.AppendLine(string.Join(",", new[] { x.Claim, x.Variant, x.Verdict, x.PaperValue, x.Ours, x.Scale, x.Seeds, x.Seconds.ToString("0.0", CultureInfo.InvariantCulture), x.Note }.Select(Quote)));
        return sb.ToString();
    }

    private static string Quote(string s) => s.Contains(',') || s.Contains('"') || s.Contains('\n') ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;

    private static string Esc(string s) => s.Replace("|", "\\|").Replace("\n", " ");
}
