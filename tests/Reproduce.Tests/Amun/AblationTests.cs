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
    public static TheoryData<string> Transfer => ClaimRuns.Variants("A.T8.transfer");

    public static TheoryData<string> Fgsm => ClaimRuns.Variants("A.T9.fgsm");

    [Fact, Claim("A.F1.adv-keeps-acc"), Scale("ci")]
    public void Fine_tuning_on_D_A_keeps_test_accuracy_better_than_its_substitutes() =>
        Shared.Claims.Run("A.F1.adv-keeps-acc", "forget 10%").Verify(GetType());

    [Theory, Claim("A.T8.transfer"), Scale("ci")]
    [MemberData(nameof(Transfer))]
    public void Transferred_adversarial_examples_do_worse_than_own_but_beat_prior_methods(string variant) =>
        Shared.Claims.Run("A.T8.transfer", variant).Verify(GetType());

    [Theory, Claim("A.T9.fgsm"), Scale("ci")]
    [MemberData(nameof(Fgsm))]
    public void The_weak_attack_finds_farther_examples_and_a_worse_avg_gap(string variant) =>
        Shared.Claims.Run("A.T9.fgsm", variant).Verify(GetType());
}
