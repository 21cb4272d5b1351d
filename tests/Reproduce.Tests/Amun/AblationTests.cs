using Reproduce.Tests.Support;
using Unlearning.Claims;
using Xunit;

namespace Reproduce.Tests.Amun;

/// <summary>
/// AMUN §6.2.1 and App. F.4–F.5 at ci scale: what D_A's substitutes do to test accuracy (Fig. 1), and AMUN with D_A from
/// another model (Table 8) or from the FFGSM-style attack (Table 9), each tuned separately like AMUN itself.
/// </summary>
public class AblationTests
{
    public static TheoryData<string> Transfer => ClaimRuns.Variants("A.T8.transfer", v => !v.Contains("with D_R"));

    public static TheoryData<string> Fgsm => ClaimRuns.Variants("A.T9.fgsm", v => !v.Contains("with D_R"));

    [Fact, Claim("A.F1.adv-keeps-acc"), Scale("ci")]
    public void Fine_tuning_on_D_A_keeps_test_accuracy_better_than_its_substitutes() =>
        Shared.Claims.Run("A.F1.adv-keeps-acc", "forget 10%").AssertHolds()
            .MatchSnapshot($"{GetType().FullName}.{nameof(Fine_tuning_on_D_A_keeps_test_accuracy_better_than_its_substitutes)}");

    [Theory, Claim("A.T8.transfer"), Scale("ci")]
    [MemberData(nameof(Transfer))]
    public void Transferred_adversarial_examples_do_worse_than_own_but_beat_prior_methods(string variant) =>
        Shared.Claims.Run("A.T8.transfer", variant).AssertHolds()
            .MatchSnapshot($"{GetType().FullName}.{nameof(Transferred_adversarial_examples_do_worse_than_own_but_beat_prior_methods)}");

    [Fact(Skip = "deviates: " + AmunSuite.RetainTenDeviation + " Measured with D_R, 10% (3 runs): AMUN with transferred D_A 6.43, with its own " +
        "7.80, best prior method (ℓ1-sparse) 4.43 (paper: 1.57 vs 0.62, best prior 1.44)."), Claim("A.T8.transfer"), Scale("ci")]
    public void With_D_R_transferred_adversarial_examples_do_worse_than_own_but_beat_prior_methods() =>
        Shared.Claims.Run("A.T8.transfer", "with D_R, forget 10%").AssertHolds()
            .MatchSnapshot($"{GetType().FullName}.{nameof(With_D_R_transferred_adversarial_examples_do_worse_than_own_but_beat_prior_methods)}");

    [Fact(Skip = "deviates: " + AmunSuite.RetainTenDeviation + " Measured with D_R, 10% (3 runs): AMUN with the FFGSM-style D_A 5.73 against " +
        "7.80 with PGD-50's, although the FFGSM-style examples lie twice as far (median ‖δ‖₂ 1.14 vs 0.56) (paper: 0.92 vs 0.62)."),
     Claim("A.T9.fgsm"), Scale("ci")]
    public void With_D_R_the_weak_attack_finds_farther_examples_and_a_worse_avg_gap() =>
        Shared.Claims.Run("A.T9.fgsm", "with D_R, forget 10%").AssertHolds()
            .MatchSnapshot($"{GetType().FullName}.{nameof(With_D_R_the_weak_attack_finds_farther_examples_and_a_worse_avg_gap)}");

    [Theory, Claim("A.T9.fgsm"), Scale("ci")]
    [MemberData(nameof(Fgsm))]
    public void The_weak_attack_finds_farther_examples_and_a_worse_avg_gap(string variant) =>
        Shared.Claims.Run("A.T9.fgsm", variant).AssertHolds()
            .MatchSnapshot($"{GetType().FullName}.{nameof(The_weak_attack_finds_farther_examples_and_a_worse_avg_gap)}");
}
