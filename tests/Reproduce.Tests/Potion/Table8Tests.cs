using Reproduce.Tests.Support;
using Unlearning.Scenarios;
using Unlearning.Unlearning;
using Xunit;

namespace Reproduce.Tests.Potion;

/// <summary>Potion Table 8 and Fig. 8: sensitivity of PTN-XLF to its step size s_step and its stopping share ρ.</summary>
public class Table8Tests
{
    private static PotionRow RunXlf(PtnOptions options)
    {
        var s = PotionRuns.Default();
        var b = PotionRuns.Base(s);
        var sf = Discovery.Share(0.5).Identify(b.Plan);
        return PotionExperiment.Run(Shared.Runner, b, sf, [new PtnUnlearner(ImportanceKind.ExponentLossFree, options, s.ImportanceBatchSize)]).Single();
    }

    [Fact, Claim("P.T8.step"), Scale("ci")]
    public void Larger_steps_heal_at_least_as_much()
    {
        var b = PotionRuns.Base(PotionRuns.Default());
        double heal = Order.NoiseMargin(b.CleanEval.TriggeredAccuracy, b.Split.Test.Length) / b.CleanEval.TriggeredAccuracy;
        var rows = new[] { 1.01, 1.1, 2.0 }.Select(step => (step, row: RunXlf(new PtnOptions(SStep: step)))).ToList();
        var order = new Order("P.T8.step (PTN-XLF, S_f = 50%)");
        for (int i = 1; i < rows.Count; i++)
            order.AtLeast($"healed s_step={rows[i].step}", rows[i].row.Healed, $"s_step={rows[i - 1].step}", rows[i - 1].row.Healed, heal);
        order.Assert();
    }

    [Fact, Claim("P.F8.rho"), Scale("ci")]
    public void Healing_rises_as_rho_falls_to_the_redirect_share_then_damage_grows()
    {
        // The redirect share: identified samples whose clean label already is the target class. Their S_f accuracy
        // cannot fall without damaging the model, so ρ below it forces over-forgetting (Potion §5.1).
        var b = PotionRuns.Base(PotionRuns.Default());
        var sf = Discovery.Share(0.5).Identify(b.Plan);
        double redirect = (double)sf.Count(i => b.Data.Labels[i] == b.Plan.TargetClass) / sf.Length;
        var (heal, damage) = Table1Tests.Margins(b);
        double[] above = new[] { 0.5, 0.3, 0.2 }.Where(r => r > redirect).ToArray();
        var rows = above.Select(rho => (rho, row: RunXlf(new PtnOptions(Rho: rho)))).ToList();
        double below = Math.Max(0.01, redirect / 2);
        var over = RunXlf(new PtnOptions(Rho: below));
        var order = new Order($"P.F8.rho (PTN-XLF, S_f = 50%, redirect share {redirect:P1})");
        for (int i = 1; i < rows.Count; i++)
            order.AtLeast($"healed ρ={rows[i].rho}", rows[i].row.Healed, $"ρ={rows[i - 1].rho}", rows[i - 1].row.Healed, heal);
        order.AtLeast($"damage ρ={rows[^1].rho}", rows[^1].row.Damage, $"ρ={below:0.00} (below the redirect share)", over.Damage, 0)
             .Assert();
    }
}
