using Unlearning.Metrics;
using Unlearning.Scenarios;
using Unlearning.Unlearning;

namespace Unlearning.Claims;

/// <summary>How the AMUN claims measure and name their values: AUCs, Avg Gaps and counts with their noise, the differences of two rows, the variant names.</summary>
internal static class AmunValues
{
    public const string Conditional = "the one base model and forget draw";

    /// <summary>
    /// The difference of two rows' mean Avg Gaps, a − b, with its interval: run k of every method uses seed + k on the same
    /// base model, D_F, D_R and D_T, so the runs are paired (Student-t over the per-run differences, conditional on that one
    /// base model and forget draw). A diverged row scores +∞, exactly; when one run of a row diverged, the runs each row kept are
    /// compared as independent (Welch).
    /// </summary>
    public static Difference GapDifference(AmunRow a, AmunRow b, bool mis = false)
    {
        if (a.Diverged || b.Diverged) return Difference.Exact(mis ? a.MisAvgGap : a.AvgGap, mis ? b.MisAvgGap : b.AvgGap);
        var (ga, gb) = mis ? (a.MisGaps, b.MisGaps) : (a.Gaps, b.Gaps);
        if (ga.Length == gb.Length) return Difference.PairedRuns(ga, gb, Conditional);
        // A run of one row diverged, so the kept runs no longer pair seed by seed: compare them as independent runs.
        if (ga.Length >= 2 && gb.Length >= 2) return Difference.Welch(ga, gb, Conditional + "; a diverged run leaves the runs unpaired");
        return Difference.Exact(mis ? a.MisAvgGap : a.AvgGap, mis ? b.MisAvgGap : b.AvgGap);
    }

    /// <summary>
    /// The difference of two FT AUC estimates (points) on the same D_F and D_T, a − b, each the mean over its score sets (a
    /// row's runs, or one model) of RMIA's balanced AUC: a paired bootstrap over the samples.
    /// </summary>
    public static Difference FtAucDifference(AmunExperiment e, IReadOnlyList<ScoreSets> a, IReadOnlyList<ScoreSets> b) =>
        Difference.BootstrapAucs(a, b, (members, nonMembers) => Rmia.BalancedAuc(members, nonMembers, e.Scenario.Base.Seed));

    /// <summary>
    /// The difference of a row's test accuracy and the retrained model's (points), each with its binomial noise on the test set,
    /// taken as independent: the two models score the same test samples, so their errors correlate and the interval is
    /// conservative.
    /// </summary>
    public static Difference TestAccuracyDifference(AmunExperiment e, AmunRow row, AmunEvaluation retrained)
    {
        int nt = e.Original.Split.Test.Length;
        double Se(double pct) { double p = Math.Clamp(pct / 100, 0.5 / nt, 1 - 0.5 / nt); return 100 * Math.Sqrt(p * (1 - p) / nt); }
        return Difference.Independent(row.Metrics.TestAccuracy, Se(row.Metrics.TestAccuracy), retrained.Metrics.TestAccuracy, Se(retrained.Metrics.TestAccuracy),
            $"two test-set binomials over {nt} samples (independent: conservative)", nt, "test samples");
    }

    /// <summary>The difference of two full-set ROC AUCs (points) of confidences on the same samples, or of one against a constant: a paired bootstrap over the samples.</summary>
    public static Difference PhiAucDifference(ScoreSets a, ScoreSets? b, double constant = 0) =>
        Difference.BootstrapAucs([a], b is null ? [] : [b], (p, n) => 100 * RocAuc.Compute(p, n), constant);

    /// <summary>A row's cells of Table <paramref name="table"/>, beside the paper's.</summary>
    public static void AddRow(AmunExperiment e, Dictionary<string, Measured> values, int table, double fraction, AmunRow row)
    {
        if (row.Diverged)
        {
            values[$"{row.Method}.diverged"] = new(1, 0);
            return;
        }
        int nf = e.ForgetSet(fraction, 0).Length, nt = e.Original.Split.Test.Length, nr = e.Original.Split.Train.Length - nf;
        values[$"{row.Method}.unlearn_acc"] = Measured.Share(row.Metrics.UnlearnAccuracy, nf, AmunPaper.Cell(table, fraction, row.Method, "unlearn_acc"), 100);
        values[$"{row.Method}.retain_acc"] = Measured.Share(row.Metrics.RetainAccuracy, nr, AmunPaper.Cell(table, fraction, row.Method, "retain_acc"), 100);
        values[$"{row.Method}.test_acc"] = Measured.Share(row.Metrics.TestAccuracy, nt, AmunPaper.Cell(table, fraction, row.Method, "test_acc"), 100);
        values[$"{row.Method}.ft_auc"] = Auc(e, row.Metrics.Mia, nf, AmunPaper.Cell(table, fraction, row.Method, "ft_auc"));
        values[$"{row.Method}.avg_gap"] = Gap(e, row, nf, paper: AmunPaper.Cell(table, fraction, row.Method, "avg_gap"));
        // A standard deviation over 3 runs has no stable value to pin (its own relative error is ~50%): reported beside the paper's.
        values[$"{row.Method}.avg_gap_std"] = Measured.Reported(row.Diagnostics["avg_gap_std"], AmunPaper.Cell(table, fraction, row.Method, "avg_gap_std"));
    }

    /// <summary>An FT AUC (points) on |D_F| members against |D_T| non-members, pinned within 4 Hanley–McNeil standard errors.</summary>
    public static Measured Auc(AmunExperiment e, double auc, int forget, double? paper = null) =>
        Measured.WithError(auc, 100 * Difference.AucStdError(auc / 100, forget, e.Original.Split.Test.Length), paper);

    /// <summary>A count out of <paramref name="n"/>, pinned within 4 binomial standard errors of the count.</summary>
    public static Measured Count(int count, int n) => Measured.Share(count, n, scale: n);

    /// <summary>
    /// An Avg Gap (points): the mean of four |Δ| against the retrained model, each as noisy as its metric (binomial over
    /// D_F, D_R, D_T; Hanley–McNeil for the MIA), and over runs as noisy as the runs' spread — pinned within 4 of the larger.
    /// </summary>
    public static Measured Gap(AmunExperiment e, AmunRow row, int forget, bool mis = false, double? paper = null) =>
        Gap(e, row.Metrics, row.Mis, forget, mis ? row.MisAvgGap : row.AvgGap, mis ? row.MisGaps : row.Gaps, mis, paper);

    public static Measured Gap(AmunExperiment e, UnlearningMetrics m, double misScore, int forget, double value, double[] runs, bool mis, double? paper)
    {
        int nt = e.Original.Split.Test.Length, nr = e.Original.Split.Train.Length - forget;
        double Binomial(double pct, int n) { double p = Math.Clamp(pct / 100, 0.5 / n, 1 - 0.5 / n); return 100 * Math.Sqrt(p * (1 - p) / n); }
        double mia = mis ? Binomial(misScore, forget) : 100 * Difference.AucStdError(m.Mia / 100, forget, nt);
        double metrics = Math.Sqrt(Math.Pow(Binomial(m.UnlearnAccuracy, forget), 2) + Math.Pow(Binomial(m.RetainAccuracy, nr), 2)
                                   + Math.Pow(Binomial(m.TestAccuracy, nt), 2) + mia * mia) / 4;
        double spread = runs.Length < 2 ? 0 : Metrics.SampleStatistics.Std(runs) / Math.Sqrt(runs.Length);
        return Measured.WithError(value, Math.Max(metrics, spread), paper);
    }

    public static string Rates(IEnumerable<AmunRow> rows) =>
        "learning rates tuned on a separate forget draw: " + string.Join(", ", rows.Select(r => r.Diverged ? $"{r.Method} diverged at every rate" : $"{r.Method} {r.LearningRate:G2}"));

    /// <summary>A share as the variant names write it ("10%", culture-independent).</summary>
    public static string Pct(double share) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{100 * share:0}%");

    public static string Variant(RetainAccess access, double fraction) =>
        $"{(access == RetainAccess.WithRetain ? "with D_R" : "D_F only")}, forget {Pct(fraction)}";
}

/// <summary>The AMUN paper's transcribed numbers (<c>expected/paper/amun/*.json</c>).</summary>
internal static class AmunPaper
{
    /// <summary>A cell of AMUN Table <paramref name="table"/> (null where the table has no such cell).</summary>
    public static double? Cell(int table, double fraction, string method, string column, RetainAccess? access = null)
    {
        var t = PaperTable.Load($"amun/table{table}");
        string forget = $"{100 * fraction:0}%";
        string? accessName = access is { } a ? (a == RetainAccess.WithRetain ? "with D_R" : "D_F only") : null;
        var match = t.Rows.FirstOrDefault(r => r.TryGetProperty("forget", out var f) && f.GetString() == forget
                                               && r.TryGetProperty("method", out var m) && m.GetString() == method && r.TryGetProperty(column, out _)
                                               && (accessName is null || !r.TryGetProperty("access", out var ac) || ac.GetString() == accessName));
        return match.ValueKind == System.Text.Json.JsonValueKind.Undefined ? null : match.GetProperty(column).GetDouble();
    }
}
