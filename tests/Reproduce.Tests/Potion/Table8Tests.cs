using Reproduce.Tests.Support;
using Xunit;

namespace Reproduce.Tests.Potion;

/// <summary>Potion Table 8 and Fig. 8: sensitivity of PTN-XLF to its step size s_step and its stopping share ρ.</summary>
public class Table8Tests
{
    [Fact, Claim("P.T8.step"), Scale("ci")]
    public void Larger_steps_heal_at_least_as_much() =>
        Shared.Claims.Run("P.T8.step", "PTN-XLF, S_f=50%").Verify(GetType());

    [Fact, Claim("P.F8.rho"), Scale("ci")]
    public void Healing_rises_as_rho_falls_to_the_redirect_share_then_damage_grows() => Shared.Claims.Run("P.F8.rho", "PTN-XLF, S_f=50%").Verify(GetType());
}
