using System.Globalization;
using Unlearning.Unlearning;
using static Unlearning.Claims.PotionFixture;

namespace Unlearning.Claims;

/// <summary>
/// Potion Table 8 (P.T8.step): "s_step 1.01 → 1.1 → 2.0 raises healing (and damage)" for PTN-XLF at S_f = 50%: a larger search
/// step heals at least as much (no more than the catalog's healing δ less) and damages the model at least as much (no more
/// than its damage δ less) as the step before it.
/// </summary>
public sealed class PotionTable8(PotionFixture f) : IClaimGroup
{
    /// <inheritdoc />
    public IEnumerable<ClaimVariant> Variants => [new("P.T8.step", "PTN-XLF, S_f=50%", Steps)];

    private Finding Steps()
    {
        var b = f.Base();
        var rows = new[] { 1.01, 1.1, 2.0 }.Select(step => (step, row: f.Xlf(new PtnOptions(SStep: step)))).ToList();
        var o = new OrderChecks();
        for (int i = 1; i < rows.Count; i++)
            o.NoLowerThan($"healed s_step={rows[i].step}", rows[i].row.Healed, $"s_step={rows[i - 1].step}", rows[i - 1].row.Healed,
                HealedDifference(rows[i].row, rows[i - 1].row, b), Delta("P.T8.step"));
        for (int i = 1; i < rows.Count; i++)
            o.NoLowerThan($"damage s_step={rows[i].step}", rows[i].row.Damage, $"s_step={rows[i - 1].step}", rows[i - 1].row.Damage,
                DamageDifference(rows[i].row, rows[i - 1].row), ClaimCatalog.Get("P.T8.step").Delta("non-inferiority", on: "damage"));
        var paper = PaperTable.Load("potion/table8");
        double? Paper(string column, double step) => paper.Value(column, ("s_step", step.ToString("0.0#", CultureInfo.InvariantCulture)), ("method", "PTN-XLF"));
        var values = rows.SelectMany(r => new[]
        {
            ($"s_step={r.step}.healed", Measured.WithError(r.row.Healed, HealedWithError(r.row, b).StdError, Paper("healed", r.step))),
            ($"s_step={r.step}.damage", Measured.WithError(r.row.Damage, DamageError(r.row, b), Paper("damage", r.step))),
        }).ToDictionary(x => x.Item1, x => x.Item2);
        return Finding.Of(o, values);
    }
}
