using Reproduce.Tests.Support;
using Unlearning.Claims;
using Xunit;

namespace Reproduce.Tests.Healing;

/// <summary>
/// Healing Table 1 (SISA column) and Fig. 1 at ci scale (<see cref="Unlearning.Claims.HealingSuite"/>): SISA with 3
/// shards × 5 slices beside the base model; Gold (retrain) and SISA after deleting 5, 10, 20, 30% of the training set at random.
/// </summary>
public class Figure1Tests
{
    public static TheoryData<string> SisaRows => ClaimRuns.Variants("H.T1.sisa-drop");

    [Theory(Skip = "deviates: " + HealingSuite.SisaDropDeviation + " Measured: MNIST SISA 94.90% vs baseline 97.65% (paper 98.91 vs 98.98); " +
                   "Fashion-MNIST SISA 78.35% vs 84.65%."), Claim("H.T1.sisa-drop"), Scale("ci")]
    [MemberData(nameof(SisaRows))]
    public void Sisa_accuracy_is_within_0_7_points_of_the_baseline(string variant) => Shared.Claims.Run("H.T1.sisa-drop", variant).AssertHolds();

    [Fact, Claim("H.F1.gold-flat"), Scale("ci")]
    public void Gold_accuracy_stays_flat_as_deletions_grow() =>
        Shared.Claims.Run("H.F1.gold-flat", "MNIST, random 5–30%").AssertHolds().MatchSnapshot($"{GetType().FullName}.{nameof(Gold_accuracy_stays_flat_as_deletions_grow)}");

    [Fact(Skip = "deviates: " + HealingSuite.SisaFlatDeviation + " Measured SISA accuracy after deleting 5/10/20/30%: 93.75 / 94.45 / 93.75 / 93.60% " +
                 "(Gold 97.75 / 97.05 / 96.90 / 97.15%)."), Claim("H.F1.sisa-declines"), Scale("ci")]
    public void Sisa_accuracy_declines_as_deletions_grow() => Shared.Claims.Run("H.F1.sisa-declines", "MNIST, random 5–30%").AssertHolds();

    // The same two trends on the means over Fig. 2's independent runs, judged against two standard errors of the paired
    // per-run differences: what one run's test set cannot resolve, ten runs can.

    [Fact(Skip = "deviates: " + HealingSuite.GoldShrinkDeviation + " Measured Gold mean accuracy over 10 runs after deleting 5/10/20/30%: " +
                 "97.36 / 97.18 / 97.18 / 96.86%; 30% against 5%: |difference| 0.50 > margin 0.24 (10% and 20% hold: 0.17 ≤ 0.23, 0.18 ≤ 0.35)."),
     Claim("H.F1.gold-flat"), Scale("ci")]
    public void Gold_mean_accuracy_over_runs_stays_flat_as_deletions_grow() => Shared.Claims.Run("H.F1.gold-flat", HealingSuite.OverRuns).AssertHolds();

    [Fact, Claim("H.F1.sisa-declines"), Scale("ci")]
    public void Sisa_mean_accuracy_over_runs_declines_as_deletions_grow() =>
        Shared.Claims.Run("H.F1.sisa-declines", HealingSuite.OverRuns).AssertHolds()
            .MatchSnapshot($"{GetType().FullName}.{nameof(Sisa_mean_accuracy_over_runs_declines_as_deletions_grow)}");
}
