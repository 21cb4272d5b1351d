using Reproduce.Tests.Support;
using Unlearning.Scenarios;
using Xunit;

namespace Reproduce.Tests.Potion;

/// <summary>Potion Table 9: full discovery, S_f = S_m. EU then retrains on clean data — the gold standard.</summary>
public class Table9Tests
{
    [Fact, Claim("P.T9.full"), Scale("ci")]
    public void With_full_discovery_eu_heals_fully_and_best_and_the_ptn_family_keeps_its_order()
    {
        var s = PotionRuns.Default();
        var b = PotionRuns.Base(s);
        var r = PotionRuns.For(s, Discovery.Share(1.0), withEu: true);
        var (heal, _) = Table1Tests.Margins(b);
        var order = new Order("P.T9.full")
            .AtLeast("healed EU", r["EU"].Healed, "100%", 100, heal);
        foreach (var m in new[] { "PTN-XLF", "PTN-LF", "PTN-SSD", "SSD (Goel grid)", "None" })
            order.AtLeast("healed EU", r["EU"].Healed, m, r[m].Healed, heal);
        order.AtLeast("healed PTN-XLF", r["PTN-XLF"].Healed, "PTN-LF", r["PTN-LF"].Healed, heal)
             .AtLeast("healed PTN-LF", r["PTN-LF"].Healed, "PTN-SSD", r["PTN-SSD"].Healed, heal)
             .Assert();
    }
}
