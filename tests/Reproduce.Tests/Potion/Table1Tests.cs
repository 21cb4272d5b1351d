using Reproduce.Tests.Support;
using Unlearning.Claims;
using Unlearning.Scenarios;
using Xunit;

namespace Reproduce.Tests.Potion;

/// <summary>
/// Potion Table 1 at ci scale: BadNet 3×3 at 2% of 7,200 embedded MNIST digits, SmallCnn trained 25 epochs,
/// PTN (ρ 0.2, b_start 25, s_step 1.1) with XLF / LF / SSD importances at batch 512, the Goel grid SSD, EU and None.
/// </summary>
public class Table1Tests
{
    public static TheoryData<Discovery> PartialDiscovery => new() { Discovery.Share(0.1), Discovery.Share(0.5) };

    public static TheoryData<Discovery> AllDiscoveries => new() { Discovery.Share(0.1), Discovery.Share(0.5), Discovery.OneShot };

    [Fact, Scale("ci"), Trait("Paper", "Potion")]
    public void The_ci_poison_scenario_is_valid_the_backdoor_implants()
    {
        var b = PotionRuns.Base(PotionRuns.Default()); // throws InvalidScenarioException, with numbers, if it did not implant
        Assert.True(b.Implanted);
        SnapshotStore.Default.Match("P.validity.badnet-2pct", Shared.Scale, new Dictionary<string, Pinned>
        {
            ["attack_success"] = new(b.PoisonedEval.AttackSuccess, 0.03),
            ["poisoned_clean_accuracy"] = new(b.PoisonedEval.CleanAccuracy, 0.006),
            ["poisoned_triggered_accuracy"] = new(b.PoisonedEval.TriggeredAccuracy, 0.03),
            ["clean_model_triggered_accuracy"] = new(b.CleanEval.TriggeredAccuracy, 0.006),
        }, $"{GetType().FullName}.{nameof(The_ci_poison_scenario_is_valid_the_backdoor_implants)}");
    }

    [Theory, Claim("P.T1.order"), Scale("ci")]
    [MemberData(nameof(PartialDiscovery))]
    public void Ptn_family_heals_most_and_xlf_damages_least(Discovery discovery)
    {
        var s = PotionRuns.Default();
        var r = PotionRuns.For(s, discovery, withEu: false);
        var (heal, damage) = Margins(PotionRuns.Base(s));
        new Order($"P.T1.order (SSD family) at {discovery}")
            .AtLeast("healed PTN-XLF", r["PTN-XLF"].Healed, "PTN-LF", r["PTN-LF"].Healed, heal)
            .AtLeast("healed PTN-LF", r["PTN-LF"].Healed, "PTN-SSD", r["PTN-SSD"].Healed, heal)
            .AtLeast("healed PTN-SSD", r["PTN-SSD"].Healed, "SSD (Goel grid)", r["SSD (Goel grid)"].Healed, heal)
            .ClearlyAbove("healed SSD (Goel grid)", r["SSD (Goel grid)"].Healed, "None", r["None"].Healed, 10)
            .AtLeast("damage PTN-XLF", r["PTN-XLF"].Damage, "PTN-LF", r["PTN-LF"].Damage, damage)
            .AtLeast("damage PTN-XLF", r["PTN-XLF"].Damage, "PTN-SSD", r["PTN-SSD"].Damage, damage)
            .AtLeast("damage PTN-XLF", r["PTN-XLF"].Damage, "SSD (Goel grid)", r["SSD (Goel grid)"].Damage, damage)
            .Assert();
    }

    [Theory, Claim("P.T1.order"), Scale("ci")]
    [InlineData(0.1)]
    [InlineData(0.5, Skip = "deviates at ci scale: with half the poison found, the 1% left in S_tr no longer implants the backdoor " +
                            "when EU retrains (as the ci probes found for 1% poison), so EU heals 96.19% — above the Goel grid SSD (95.28%); " +
                            "PTN-XLF 99.29, None 48.60. The paper's EU keeps the trigger (40.68% mean).")]
    public void Partial_discovery_eu_heals_far_less_than_the_ssd_family_and_more_than_none(double fraction)
    {
        var s = PotionRuns.Default();
        var r = PotionRuns.For(s, Discovery.Share(fraction), withEu: true);
        new Order($"P.T1.order (EU under partial discovery) at S_f={fraction:P0}")
            .ClearlyAbove("healed SSD (Goel grid)", r["SSD (Goel grid)"].Healed, "EU", r["EU"].Healed, 10)
            .ClearlyAbove("healed PTN-XLF", r["PTN-XLF"].Healed, "EU", r["EU"].Healed, 10)
            .Above("healed EU", r["EU"].Healed, "None", r["None"].Healed)
            .Assert();
    }

    /// <summary>Noise margins (healed %, damage pp) from the test-set size: see <see cref="Order.NoiseMargin"/>.</summary>
    internal static (double Heal, double Damage) Margins(PoisonedBase b) =>
        (Order.NoiseMargin(b.CleanEval.TriggeredAccuracy, b.Split.Test.Length) / b.CleanEval.TriggeredAccuracy,
         Order.NoiseMargin(b.PoisonedEval.CleanAccuracy, b.Split.Test.Length));

    [Theory, Claim("P.T1.values"), Scale("ci")]
    [MemberData(nameof(AllDiscoveries))]
    public void Table_1_cells(Discovery discovery)
    {
        bool oneShot = discovery.Count == 1;
        var r = PotionRuns.For(PotionRuns.Default(), discovery, withEu: !oneShot);
        var paper = PaperTable.Load("potion/table1");
        var metrics = new Dictionary<string, Pinned>();
        foreach (var (method, row) in r)
        {
            string key = method.Replace(" ", "_").Replace("(", "").Replace(")", "");
            metrics[$"{key}.healed"] = new(row.Healed, 2.0, paper.Value("healed", ("setting", oneShot ? "one-shot" : "goel"), ("method", method)));
            metrics[$"{key}.damage"] = new(row.Damage, 0.5, paper.Value("damage", ("setting", oneShot ? "one-shot" : "goel"), ("method", method)));
        }
        SnapshotStore.Default.Match($"P.T1.values.{discovery.Name.Replace("%", "pct").Replace("=", "")}", Shared.Scale, metrics,
            $"{GetType().FullName}.{nameof(Table_1_cells)}", discovery.Name);
    }

    [Fact, Claim("P.T1.one-shot"), Scale("ci")]
    public void One_shot_xlf_and_lf_heal_clearly_more_than_ptn_ssd_and_none()
    {
        var r = PotionRuns.For(PotionRuns.Default(), Discovery.OneShot, withEu: false);
        new Order("P.T1.one-shot (vs PTN-SSD, None)")
            .ClearlyAbove("healed PTN-XLF", r["PTN-XLF"].Healed, "PTN-SSD", r["PTN-SSD"].Healed, 5)
            .ClearlyAbove("healed PTN-LF", r["PTN-LF"].Healed, "PTN-SSD", r["PTN-SSD"].Healed, 5)
            .ClearlyAbove("healed PTN-XLF", r["PTN-XLF"].Healed, "None", r["None"].Healed, 5)
            .ClearlyAbove("healed PTN-LF", r["PTN-LF"].Healed, "None", r["None"].Healed, 5)
            .Assert();
    }

    [Fact(Skip = "deviates at ci scale: with one identified sample the Goel grid SSD (α 0.1, λ 1) heals 98.27% at no damage, " +
                 "PTN-XLF 95.58% and PTN-LF 95.73% (PTN-SSD 86.08, None 48.60). In the paper the grid SSD cannot one-shot heal (18.24%). " +
                 "The small CNN on MNIST concentrates the 3×3 trigger in few weights that one sample's Fisher already singles out."),
     Claim("P.T1.one-shot"), Scale("ci")]
    public void One_shot_xlf_and_lf_heal_clearly_more_than_grid_ssd()
    {
        var r = PotionRuns.For(PotionRuns.Default(), Discovery.OneShot, withEu: false);
        new Order("P.T1.one-shot (vs the Goel grid SSD)")
            .ClearlyAbove("healed PTN-XLF", r["PTN-XLF"].Healed, "SSD (Goel grid)", r["SSD (Goel grid)"].Healed, 5)
            .ClearlyAbove("healed PTN-LF", r["PTN-LF"].Healed, "SSD (Goel grid)", r["SSD (Goel grid)"].Healed, 5)
            .Assert();
    }
}
