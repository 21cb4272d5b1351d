using Unlearning.Scenarios;
using static Unlearning.Claims.AmunValues;

namespace Unlearning.Claims;

/// <summary>AMUN Tables 10–11 (A.T10-11.mis): with MIS as the MIA, AMUN's Avg Gap is still the lowest, with D_R and D_F only.</summary>
public sealed class AmunTables10And11(AmunFixture f) : IClaimGroup
{
    /// <inheritdoc />
    public IEnumerable<ClaimVariant> Variants =>
        from a in new[] { RetainAccess.WithRetain, RetainAccess.ForgetOnly }
        select new ClaimVariant("A.T10-11.mis", Variant(a, 0.1), () => LowestMisGap(0.1, a), Control.None(c => LowestMisGap(0.1, a, c)));

    private Finding LowestMisGap(double fraction, RetainAccess access, string? control = null)
    {
        var e = f.Experiment;
        var o = new OrderChecks();
        var values = new Dictionary<string, Measured>();
        var rows = AmunExperiment.Methods(access).ToDictionary(m => m, m => f.Row(m, fraction, access, control));
        foreach (var (m, row) in rows.Where(r => !r.Key.StartsWith("AMUN", StringComparison.Ordinal)))
            o.Above($"{m} Avg Gap (MIS)", row.MisAvgGap, "AMUN's", rows["AMUN"].MisAvgGap, GapDifference(row, rows["AMUN"], mis: true));
        int nf = e.ForgetSet(fraction, 0).Length;
        int table = access == RetainAccess.WithRetain ? 10 : 11;
        foreach (var (m, row) in rows.Where(r => !r.Value.Diverged))
        {
            values[$"{m}.mis"] = Measured.Share(row.Mis, nf, AmunPaper.Cell(table, fraction, m, "mis"), 100);
            values[$"{m}.avg_gap_mis"] = Gap(e, row, nf, mis: true, AmunPaper.Cell(table, fraction, m, "avg_gap"));
        }
        values["retrain.mis"] = Measured.Share(e.RetrainedEvaluation(e.ForgetSet(fraction, 0)).Mis, nf, AmunPaper.Cell(table, fraction, "Retrain", "mis"), 100);
        return Finding.Of(o, values, Rates(rows.Values));
    }
}
