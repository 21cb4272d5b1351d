using Reproduce.Tests.Support;
using Unlearning.Claims;
using Xunit;

namespace Reproduce.Tests.Potion;

/// <summary>
/// Potion Table 1 at ci scale (<see cref="Unlearning.Claims.PotionTable1"/>): BadNet 3×3 at 2% of 7,200 embedded MNIST digits, SmallCnn
/// trained 10 epochs, PTN (ρ 0.2, b_start 25, s_step 1.1) with XLF / LF / SSD importances at batch 512, the Goel grid
/// SSD, EU and None; and the order and cells on BadNet at 2% of embedded Fashion-MNIST at S_f = 25%, where the MNIST
/// scenario's ≈ 99% healing does not saturate the comparison.
/// </summary>
public class Table1Tests
{
    public static TheoryData<string> Orders => ClaimRuns.Variants("P.T1.order", v => v != "EU, S_f=50%" && v != "Goel mean");

    public static TheoryData<string> Cells => ClaimRuns.Variants("P.T1.values");

    [Theory, Claim("P.T1.order"), Scale("ci")]
    [MemberData(nameof(Orders))]
    public void Ptn_family_heals_most_xlf_damages_least_and_eu_heals_little_under_partial_discovery(string variant) =>
        Shared.Claims.Run("P.T1.order", variant).Verify(GetType());

    [Fact,
     Claim("P.T1.order"), Scale("ci")]
    public void Eu_at_half_discovery_heals_far_less_than_the_ssd_family() => Shared.Claims.Run("P.T1.order", "EU, S_f=50%").Verify(GetType());

    [Fact,
     Claim("P.T1.order"), Scale("ci")]
    public void On_the_mean_over_the_goel_scenarios_the_order_holds() => Shared.Claims.Run("P.T1.order", "Goel mean").Verify(GetType());

    [Theory, Claim("P.T1.values"), Scale("ci")]
    [MemberData(nameof(Cells))]
    public void Table_1_cells(string variant) =>
        Shared.Claims.Run("P.T1.values", variant).Verify(GetType());

    [Fact, Claim("P.T1.one-shot"), Scale("ci")]
    public void One_shot_xlf_and_lf_heal_clearly_more_than_ptn_ssd_and_none() => Shared.Claims.Run("P.T1.one-shot", "vs PTN-SSD and None").Verify(GetType());

    [Fact,
     Claim("P.T1.one-shot"), Scale("ci")]
    public void One_shot_xlf_and_lf_heal_clearly_more_than_grid_ssd() => Shared.Claims.Run("P.T1.one-shot", "vs the Goel grid SSD").Verify(GetType());
}
