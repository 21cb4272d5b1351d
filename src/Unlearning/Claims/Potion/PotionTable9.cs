using Unlearning.Reporting;
using Unlearning.Scenarios;
using static Unlearning.Claims.PotionFixture;

namespace Unlearning.Claims;

/// <summary>
/// Potion Table 9 (P.T9.full, S_f = 100%): with the whole poison identified, EU heals fully and at least as well as every
/// other method, and PTN-XLF &gt; PTN-LF &gt; PTN-SSD; with Fig. 10's healed share per discovery.
/// </summary>
public sealed class PotionTable9(PotionFixture f) : IClaimGroup
{
    /// <inheritdoc />
    public IEnumerable<ClaimVariant> Variants => [new("P.T9.full", "S_f=100%", FullDiscovery)];

    private Finding FullDiscovery()
    {
        var b = f.Base();
        var r = f.Rows(TriggerKind.BadNet, Discovery.Share(1.0), withEu: true);
        // EU after full discovery retrains on clean data: it heals fully, up to the catalog's δ, paired against M_clean per image.
        var o = new OrderChecks().NoLowerThan("healed EU", r["EU"].Healed, "100%", 100,
            Difference.Paired(r["EU"].Evaluation.TriggeredCorrect, b.CleanEval.TriggeredCorrect, 100 / b.CleanEval.TriggeredAccuracy, "triggered test images"),
            Delta("P.T9.full"));
        foreach (var m in new[] { "PTN-XLF", "PTN-LF", "PTN-SSD", "SSD (Goel grid)", "None" })
            o.NoLowerThan("healed EU", r["EU"].Healed, m, r[m].Healed, HealedDifference(r["EU"], r[m], b), 0);
        o.Above("healed PTN-XLF", r["PTN-XLF"].Healed, "PTN-LF", r["PTN-LF"].Healed, HealedDifference(r["PTN-XLF"], r["PTN-LF"], b))
         .Above("healed PTN-LF", r["PTN-LF"].Healed, "PTN-SSD", r["PTN-SSD"].Healed, HealedDifference(r["PTN-LF"], r["PTN-SSD"], b));
        var paper = PaperTable.Load("potion/table9");
        return Finding.Of(o, Cells(r, (column, method) => paper.Value(column, ("method", method)), b), "", HealingPerDiscovery());
    }

    /// <summary>Potion Fig. 10: healed per S_f share for each method (the discoveries run so far, plus the ones this needs).</summary>
    private FigureData HealingPerDiscovery()
    {
        (double X, Discovery D)[] shares = [(1.0 / f.Base().Plan.Poisoned.Length, Discovery.OneShot), (0.1, Discovery.Share(0.1)), (0.5, Discovery.Share(0.5)), (1.0, Discovery.Share(1.0))];
        var rows = shares.Select(s => (x: s.X, r: f.Rows(TriggerKind.BadNet, s.D, withEu: false))).ToList();
        var methods = rows[0].r.Keys.ToList();
        var series = methods.Select(m => new Series(m, rows.Select(x => 100 * x.x).ToArray(), rows.Select(x => x.r[m].Healed).ToArray())).ToList();
        // The paper's numbers at the two ends: one-shot healing (Table 1) and full discovery (Table 9), per method.
        var oneShot = PaperTable.Load("potion/table1");
        var full = PaperTable.Load("potion/table9");
        foreach (var m in methods)
            if (oneShot.TryValue("healed", ("setting", "one-shot"), ("method", m)) is { } first && full.TryValue("healed", ("method", m)) is { } last)
                series.Add(new Series($"{m}, paper (Tables 1, 9)", [100 * shares[0].X, 100 * shares[^1].X], [first, last], Paper: true));
        return new FigureData("potion-fig10-healed-per-discovery.png", "Potion Fig. 10 (ci): poison healed vs share of S_m identified",
            "identified share of S_m (S_f / S_m)", "poison healed (%)", series);
    }
}
