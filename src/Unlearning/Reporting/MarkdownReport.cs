using System.Globalization;
using System.Text;
using Unlearning.Claims;

namespace Unlearning.Reporting;

/// <summary>Renders <see cref="RunResults"/> as <c>report.md</c> and <c>results.csv</c>.</summary>
public static class MarkdownReport
{
    private static string F(double v) => double.IsNaN(v) ? "–" : v.ToString("0.0000", CultureInfo.InvariantCulture);

    /// <summary>The verdicts the report counts per paper, in its order.</summary>
    public static readonly string[] CountedVerdicts =
        [Verdicts.Reproduced, Verdicts.Deviates, Verdicts.Unresolved, Verdicts.NeedsPaperScale, Verdicts.Invalid, Verdicts.Vacuous, Verdicts.ControlFailed, Verdicts.Skipped];

    /// <summary>The verdict legend: the decision rules, as the README states them.</summary>
    public const string Legend =
        "Every check states a difference a − b with its 95% interval from the noise that fits it (two models on the same test samples: " +
        "paired McNemar; means over runs: Student-t with runs − 1 degrees of freedom, paired when the runs share base model, forget set and " +
        "seed, Welch otherwise, conditional on the one base model and forget draw; AUCs: Hanley–McNeil; medians: bootstrap; trends: a slope " +
        "per run, then across runs). An order \"a > b\" (+β for the papers' \"≫\") **holds** (✓) when the interval lies above β, is " +
        "**contradicted** (✗) when it lies below, and is otherwise **unresolved** (?); a non-inferiority \"a ≥ b − δ\" holds when the lower " +
        "bound exceeds −δ and is contradicted when the upper bound is below −δ; an equivalence \"a ≈ b within δ\" holds by two one-sided " +
        "tests (the 90% interval inside ±δ) and is contradicted when the 95% interval lies outside ±δ; \"best of k\" comparisons use the " +
        "Bonferroni-simultaneous interval. δ and its source are in the claim catalog. Verdicts: **reproduced** — every check holds; " +
        "**deviates** — a check is contradicted after a Holm correction over the claim's checks (a recorded deviation says why the scale " +
        "does it); **unresolved at this scale** — neither: the row says which way each open check leans and how many samples or runs " +
        "would resolve it at 80% power, and marks a check whose interval is wider than what it must resolve *undecidable at this scale*; " +
        "**invalid scenario** — its precondition (a backdoor that implants, a model that leaks membership) fails; **vacuous** — the untouched " +
        "model (None) passes the same checks; **control failed** — the retrained model, where the claim says \"as good as retraining\", is " +
        "contradicted by them; **needs paper scale** — a value measured at a reduced scale, shown beside the paper's; **skipped** — not run, " +
        "with the reason.";

    /// <summary>The Markdown report.</summary>
    public static string Render(RunResults r, IReadOnlyDictionary<string, string>? figures = null)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Reproduction report").AppendLine();
        sb.AppendLine($"Started {r.Environment.StartedUtc:yyyy-MM-dd HH:mm} UTC · {r.Environment.Torch} · device {r.Environment.Device} · {r.Environment.Dotnet} · {r.Environment.Os}").AppendLine();
        sb.AppendLine("| paper | variants | " + string.Join(" | ", CountedVerdicts) + " |");
        sb.AppendLine("|---|---|" + string.Concat(CountedVerdicts.Select(_ => "---|")));
        foreach (var paper in ClaimCatalog.All.GroupBy(c => c.Paper))
        {
            var rows = r.Claims.Where(x => paper.Any(c => c.Id == x.Claim)).ToList();
            sb.AppendLine($"| {paper.Key} | {rows.Count} | " + string.Join(" | ", CountedVerdicts.Select(v => rows.Count(x => x.Verdict == v))) + " |");
        }
        sb.AppendLine();
        sb.AppendLine(Legend).AppendLine();
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
                    foreach (var spec in ClaimCatalog.Get(x.Claim).Checks)
                        sb.AppendLine($"- rule: {spec.Kind}{(spec.Delta is { } d ? $", δ = {d.ToString("0.##", CultureInfo.InvariantCulture)} {spec.Unit}" : "")} — {Esc(spec.Why)}");
                    foreach (var check in x.Checks.OrderBy(k => k.Holds).ThenBy(k => k.Decision != Decision.Contradicted)) sb.AppendLine($"- {Esc(check.ToString())}");
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
