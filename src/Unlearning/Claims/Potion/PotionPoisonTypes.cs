using Unlearning.Scenarios;
using static Unlearning.Claims.PotionFixture;

namespace Unlearning.Claims;

/// <summary>
/// Potion Tables 2–7 (P.T2-7.poisons): the sinusoid is the hardest trigger to heal, the moving trigger defeats one-shot
/// healing, and each trigger's cells per discovery.
/// </summary>
public sealed class PotionPoisonTypes(PotionFixture f) : IClaimGroup
{
    /// <inheritdoc />
    public IEnumerable<ClaimVariant> Variants =>
    [
        new("P.T2-7.poisons", "sinusoid harder than badnet", () => SinusoidHardest(TriggerKind.BadNet)),
        new("P.T2-7.poisons", "sinusoid harder than moving", () => SinusoidHardest(TriggerKind.Moving)),
        new("P.T2-7.poisons", "moving trigger, one-shot", MovingOneShot),
        .. new[] { TriggerKind.Sinusoid, TriggerKind.Moving }.SelectMany(t => new[] { Discovery.Share(0.1), Discovery.Share(0.5), Discovery.OneShot }
            .Select(d => new ClaimVariant("P.T2-7.poisons", $"{t}, {d.Name}", () => Cells(t, d)))),
    ];

    /// <summary>Mean healed over S_f 10% and 50% per PTN method, with a standard error bounded by the mean of the two (shared test images).</summary>
    private Dictionary<string, (double Healed, double StdError, int Samples)> MeanHealed(TriggerKind trigger)
    {
        var b = f.Base(trigger);
        var rows = new[] { Discovery.Share(0.1), Discovery.Share(0.5) }.Select(d => f.Rows(trigger, d, withEu: false)).ToArray();
        return PtnFamily.ToDictionary(m => m, m => (rows.Average(r => r[m].Healed), rows.Average(r => HealedWithError(r[m], b).StdError), b.Split.Test.Length));
    }

    private Finding SinusoidHardest(TriggerKind other)
    {
        var them = MeanHealed(other);
        var sinusoid = MeanHealed(TriggerKind.Sinusoid);
        var o = new OrderChecks();
        foreach (var m in PtnFamily)
            o.Above($"mean healed (S_f 10%, 50%) {m}: {other}", them[m].Healed, "sinusoid", sinusoid[m].Healed,
                Difference.Independent(them[m].Healed, them[m].StdError, sinusoid[m].Healed, sinusoid[m].StdError,
                    "binomial over each trigger's triggered test images (different images), averaged over the two shares", them[m].Samples, "triggered test images"));
        return Finding.Of(o);
    }

    private Finding MovingOneShot()
    {
        var r = f.Rows(TriggerKind.Moving, Discovery.OneShot, withEu: false);
        var b = f.Base(TriggerKind.Moving);
        var o = new OrderChecks();
        foreach (var m in PtnFamily.Append("SSD (Goel grid)"))
            o.Above("healed None", r["None"].Healed, m, r[m].Healed, HealedDifference(r["None"], r[m], b), by: -10);
        return Finding.Of(o);
    }

    private Finding Cells(TriggerKind trigger, Discovery d)
    {
        bool oneShot = d.Count == 1;
        int table = trigger == TriggerKind.Sinusoid ? 3 : 4;
        var paper = PaperTable.Load($"potion/table{table}");
        double? Paper(string column, string method) => paper.TryValue(oneShot ? "one_shot_" + column : column, ("method", method));
        var values = PotionFixture.Cells(f.Rows(trigger, d, withEu: false), Paper, f.Base(trigger));
        return Finding.OfValues(values, $"{f.Profile.PotionSetting(trigger)}; paper: ViT on Imagenette (Table {table})");
    }
}
