using Reproduce.Tests.Support;
using Xunit;

namespace Reproduce.Tests.Potion;

/// <summary>Potion Table 9: full discovery, S_f = S_m. EU then retrains on clean data — the gold standard.</summary>
public class Table9Tests
{
    [Fact, Claim("P.T9.full"), Scale("ci")]
    public void With_full_discovery_eu_heals_fully_and_best_and_the_ptn_family_keeps_its_order() =>
        Shared.Claims.Run("P.T9.full", "S_f=100%").Verify(GetType());
}
