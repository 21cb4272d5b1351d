using Unlearning.Reporting;
using Unlearning.Scenarios;
using Unlearning.Unlearning;
using static Unlearning.Claims.PotionFixture;

namespace Unlearning.Claims;

/// <summary>
/// Potion Fig. 8 (P.F8.rho): PTN-XLF at S_f = 50% heals at least as well for each smaller ρ above the redirect share, and
/// a ρ below it over-forgets (more damage).
/// </summary>
public sealed class PotionFigure8(PotionFixture f) : IClaimGroup
{
    /// <inheritdoc />
    public IEnumerable<ClaimVariant> Variants => [new("P.F8.rho", "PTN-XLF, S_f=50%", Rho)];

    private Finding Rho()
    {
        // The redirect share: identified samples whose clean label already is the target class. Their S_f accuracy
        // cannot fall without damaging the model, so ρ below it forces over-forgetting (Potion §5.1).
        var b = f.Base();
        var sf = Discovery.Share(0.5).Identify(b.Plan);
        double redirect = (double)sf.Count(i => b.Data.Labels[i] == b.Plan.TargetClass) / sf.Length;
        double[] above = new[] { 0.5, 0.3, 0.2 }.Where(r => r > redirect).ToArray();
        var rows = above.Select(rho => (rho, row: f.Xlf(new PtnOptions(Rho: rho)))).ToList();
        double below = Math.Max(0.01, redirect / 2);
        var over = f.Xlf(new PtnOptions(Rho: below));
        var o = new OrderChecks();
        for (int i = 1; i < rows.Count; i++)
            o.NoLowerThan($"healed ρ={rows[i].rho}", rows[i].row.Healed, $"ρ={rows[i - 1].rho}", rows[i - 1].row.Healed, HealedDifference(rows[i].row, rows[i - 1].row, b), Delta("P.F8.rho"));
        o.Above($"damage ρ={rows[^1].rho}", rows[^1].row.Damage, $"ρ={below:0.00} (below the redirect share {redirect:P1})", over.Damage, DamageDifference(rows[^1].row, over));
        var all = rows.Append((rho: below, row: over)).OrderBy(r => r.rho).ToList();
        var figure = new FigureData("potion-fig8-rho.png", "Potion Fig. 8 (ci): PTN-XLF sensitivity to ρ (S_f = 50%)", "ρ", "% / pp",
        [
            new Series("poison healed (%)", all.Select(r => r.rho).ToArray(), all.Select(r => r.row.Healed).ToArray()),
            new Series("model damage (pp)", all.Select(r => r.rho).ToArray(), all.Select(r => r.row.Damage).ToArray()),
        ]);
        return Finding.Of(o, null, "", figure);
    }
}
