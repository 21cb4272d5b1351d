using Reproduce.Tests.Support;
using Xunit;

namespace Reproduce.Tests.Healing;

/// <summary>
/// Healing Table 4 at ci scale (<see cref="Unlearning.Claims.HealingTable4"/>): MNIST, 70% primary / 30% backup, unlearn 25
/// images of class 7 with Fisher and Influence (5 runs each, healing from the run closest to the mean), heal for 1 and 5
/// epochs on Remain+Twins (four metrics) and RemainOnly.
/// </summary>
public class Table4Tests
{
    private const string Variant = "MNIST, 25 of class 7";

    [Fact, Claim("H.T4.heal-near-gold"), Scale("ci")]
    public void Best_healing_after_half_the_epochs_reaches_gold() =>
        Shared.Claims.Run("H.T4.heal-near-gold", Variant).Verify(GetType());

    [Fact, Claim("H.T4.longer-better"), Scale("ci")]
    public void Longer_healing_is_at_least_as_good_as_one_epoch() =>
        Shared.Claims.Run("H.T4.longer-better", Variant).Verify(GetType());

    [Fact, Claim("H.T4.values"), Scale("ci")]
    public void Table_4_cells() =>
        Shared.Claims.Run("H.T4.values", Variant).Verify(GetType());
}
