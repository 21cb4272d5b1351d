using Unlearning.Scenarios;
using static Unlearning.Claims.AmunValues;

namespace Unlearning.Claims;

/// <summary>
/// AMUN Tables 1–2: with D_R (Table 1) or D_F only (Table 2), AMUN's Avg Gap (RMIA FT AUC as the MIA) is the lowest of
/// the methods (A.T1.avg-gap, A.T2.avg-gap), and with D_R its FT AUC is the retrained model's (A.T1.ft-auc).
/// </summary>
public sealed class AmunTables1And2(AmunFixture f) : IClaimGroup
{
    /// <inheritdoc />
    public IEnumerable<ClaimVariant> Variants =>
    [
        .. from fraction in AmunFixture.Fractions
           select new ClaimVariant("A.T1.avg-gap", Variant(RetainAccess.WithRetain, fraction), () => LowestGap(fraction, RetainAccess.WithRetain),
               Control.None(c => LowestGap(fraction, RetainAccess.WithRetain, c))),
        .. from fraction in AmunFixture.Fractions
           select new ClaimVariant("A.T1.ft-auc", Variant(RetainAccess.WithRetain, fraction), () => FtAuc(fraction),
               [.. Control.None(c => FtAuc(fraction, c)), new Control("Retrain", Negative: false, () => FtAuc(fraction, "Retrain"))]),
        .. from fraction in AmunFixture.Fractions
           select new ClaimVariant("A.T2.avg-gap", Variant(RetainAccess.ForgetOnly, fraction), () => LowestGap(fraction, RetainAccess.ForgetOnly),
               Control.None(c => LowestGap(fraction, RetainAccess.ForgetOnly, c))),
    ];

    /// <summary>
    /// AMUN's Avg Gap is the lowest: each baseline's mean Avg Gap above AMUN's, paired over the runs
    /// (<see cref="GapDifference"/>), and AMUN's below the untouched original's; every cell is a value beside the paper's.
    /// </summary>
    private Finding LowestGap(double fraction, RetainAccess access, string? control = null)
    {
        var e = f.Experiment;
        var (o, values) = f.Valid(fraction);
        var rows = AmunExperiment.Methods(access).ToDictionary(m => m, m => f.Row(m, fraction, access, control));
        int table = access == RetainAccess.WithRetain ? 1 : 2;
        var amuns = access == RetainAccess.WithRetain ? new[] { "AMUN" } : ["AMUN", "AMUN+SalUn"];
        double originalGap = f.OriginalGap(fraction);
        var forget = e.ForgetSet(fraction, 0);
        var original = e.Evaluate(e.Original.Model, forget);
        values["original.avg_gap"] = Gap(e, original.Metrics, original.Mis, forget.Length, originalGap, [], false, null);
        foreach (var a in amuns)
        {
            // A method that leaves the model as it was cannot win by noise: AMUN must move it toward the retrained one.
            o.Above($"original model's Avg Gap", originalGap, $"{a}'s", rows[a].AvgGap,
                rows[a].Diverged ? Difference.Exact(originalGap, rows[a].AvgGap) : Difference.RunsAgainst(rows[a].Gaps, originalGap, Conditional).Negated());
            foreach (var (m, row) in rows.Where(r => !r.Key.StartsWith("AMUN", StringComparison.Ordinal)))
                o.Above($"{m} Avg Gap", row.AvgGap, $"{a}'s", rows[a].AvgGap, GapDifference(row, rows[a]));
        }
        foreach (var (m, row) in rows) AddRow(e, values, table, fraction, row);
        return Finding.Of(o, values, Rates(rows.Values));
    }

    /// <summary>Table 1's FT AUC of AMUN ≈ 50: equivalent to the retrained model's within the catalog's δ (a paired bootstrap over D_F and D_T).</summary>
    private Finding FtAuc(double fraction, string? control = null)
    {
        var (o, values) = f.Valid(fraction);
        var e = f.Experiment;
        var row = f.Row("AMUN", fraction, RetainAccess.WithRetain, control);
        var retrained = e.RetrainedEvaluation(e.ForgetSet(fraction, 0));
        int forget = e.ForgetSet(fraction, 0).Length;
        o.Close($"{control ?? "AMUN"} FT AUC", row.Metrics.Mia, "the retrained model's", retrained.Metrics.Mia, FtAucDifference(e, row.FtScores, [retrained.FtScores!]),
            AmunFixture.AucDelta("A.T1.ft-auc"));
        values["AMUN.ft_auc"] = Auc(e, row.Metrics.Mia, forget, AmunPaper.Cell(1, fraction, "AMUN", "ft_auc"));
        return Finding.Of(o, values);
    }
}
