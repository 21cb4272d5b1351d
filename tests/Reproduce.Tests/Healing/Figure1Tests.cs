using Reproduce.Tests.Support;
using Unlearning.Claims;
using Xunit;

namespace Reproduce.Tests.Healing;

/// <summary>
/// Healing Table 1 (SISA column) and Fig. 1 at ci scale (<see cref="Unlearning.Claims.HealingFigure1"/>): SISA with 3
/// shards × 5 slices beside the base model; Gold (retrain) and SISA after deleting 5, 10, 20, 30% of the training set at random.
/// </summary>
public class Figure1Tests
{
    public static TheoryData<string> SisaRows => ClaimRuns.Variants("H.T1.sisa-drop");

    [Theory, Claim("H.T1.sisa-drop"), Scale("ci")]
    [MemberData(nameof(SisaRows))]
    public void Sisa_accuracy_is_within_0_7_points_of_the_baseline(string variant) => Shared.Claims.Run("H.T1.sisa-drop", variant).Verify(GetType());

    [Fact, Claim("H.F1.gold-flat"), Scale("ci")]
    public void Gold_accuracy_stays_flat_as_deletions_grow() =>
        Shared.Claims.Run("H.F1.gold-flat", "MNIST, random 5–30%").Verify(GetType());

    [Fact, Claim("H.F1.sisa-declines"), Scale("ci")]
    public void Sisa_accuracy_declines_as_deletions_grow() => Shared.Claims.Run("H.F1.sisa-declines", "MNIST, random 5–30%").Verify(GetType());

    // The same two trends on the means over Fig. 2's independent runs, judged against two standard errors of the paired
    // per-run differences: what one run's test set cannot resolve, ten runs can.

    [Fact,
     Claim("H.F1.gold-flat"), Scale("ci")]
    public void Gold_mean_accuracy_over_runs_stays_flat_as_deletions_grow() => Shared.Claims.Run("H.F1.gold-flat", HealingFigure1.OverRuns).Verify(GetType());

    [Fact, Claim("H.F1.sisa-declines"), Scale("ci")]
    public void Sisa_mean_accuracy_over_runs_declines_as_deletions_grow() =>
        Shared.Claims.Run("H.F1.sisa-declines", HealingFigure1.OverRuns).Verify(GetType());
}
