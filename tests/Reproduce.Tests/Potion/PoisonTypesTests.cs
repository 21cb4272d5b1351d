using Reproduce.Tests.Support;
using Unlearning.Claims;
using Unlearning.Scenarios;
using Xunit;

namespace Reproduce.Tests.Potion;

/// <summary>
/// Potion Tables 2–7 (ViT on Imagenette / ImageNet with BadNet, sinusoid and moving triggers) at ci scale: the same
/// 7,200 embedded MNIST digits and SmallCnn, 2% of the training set poisoned with each trigger (see
/// <see cref="PoisonScenario.CiFraction"/>); the three poison the same S_m and share their clean model.
/// </summary>
public class PoisonTypesTests
{
    public static TheoryData<TriggerKind> Triggers => new() { TriggerKind.BadNet, TriggerKind.Sinusoid, TriggerKind.Moving };

    public static TheoryData<string> Cells => ClaimRuns.Variants("P.T2-7.poisons", v => v.Contains("S_f", StringComparison.Ordinal));

    [Theory, Scale("ci"), Trait("Paper", "Potion")]
    [MemberData(nameof(Triggers))]
    public void Each_poison_scenario_is_valid_the_backdoor_implants(TriggerKind trigger)
    {
        var b = Shared.Potion.Base(trigger); // throws with the numbers if the backdoor did not implant
        Assert.True(b.Implanted);
        int n = b.Split.Test.Length;
        Pinned Share(double p) { var m = Measured.Share(p, n); return new(m.Value, m.Tolerance); } // 4 binomial standard errors on the test set
        SnapshotStore.Default.Match($"P.validity.{trigger.ToString().ToLowerInvariant()}-{PoisonScenario.CiFraction(trigger) * 100:0}pct", Shared.Scale, new Dictionary<string, Pinned>
        {
            ["attack_success"] = Share(b.PoisonedEval.AttackSuccess),
            ["poisoned_clean_accuracy"] = Share(b.PoisonedEval.CleanAccuracy),
            ["poisoned_triggered_accuracy"] = Share(b.PoisonedEval.TriggeredAccuracy),
            ["clean_model_triggered_accuracy"] = Share(b.CleanEval.TriggeredAccuracy),
        }, $"{GetType().FullName}.{nameof(Each_poison_scenario_is_valid_the_backdoor_implants)}", trigger.ToString());
    }

    [Fact, Claim("P.T2-7.poisons"), Scale("ci")]
    public void Sinusoid_is_harder_to_heal_than_badnet() => Shared.Claims.Run("P.T2-7.poisons", "sinusoid harder than badnet").Verify(GetType());

    [Fact, Claim("P.T2-7.poisons"), Scale("ci")]
    public void Sinusoid_is_harder_to_heal_than_the_moving_trigger() => Shared.Claims.Run("P.T2-7.poisons", "sinusoid harder than moving").Verify(GetType());

    [Fact, Claim("P.T2-7.poisons"), Scale("ci")]
    public void The_moving_trigger_cannot_be_one_shot_healed() => Shared.Claims.Run("P.T2-7.poisons", "moving trigger, one-shot").Verify(GetType());

    /// <summary>Healed / damage per method, pinned, beside Tables 3 (sinusoid) and 4 (moving) — ViT on Imagenette, the 10-class rows.</summary>
    [Theory, Claim("P.T2-7.poisons"), Scale("ci")]
    [MemberData(nameof(Cells))]
    public void Poison_type_cells(string variant) =>
        Shared.Claims.Run("P.T2-7.poisons", variant).Verify(GetType());
}
