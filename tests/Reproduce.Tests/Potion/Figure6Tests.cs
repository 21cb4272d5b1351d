using Reproduce.Tests.Support;
using Unlearning.Scenarios;
using Unlearning.Unlearning;
using Xunit;

namespace Reproduce.Tests.Potion;

/// <summary>Potion Fig. 6: along decreasing α, S_f accuracy falls and clean accuracy holds until over-forgetting.</summary>
public class Figure6Tests
{
    [Fact, Claim("P.F6.trend"), Scale("ci")]
    public void Forget_accuracy_falls_as_alpha_falls_while_clean_accuracy_holds_until_over_forgetting()
    {
        var b = PotionRuns.Base(PotionRuns.Default());
        var sf = Discovery.Share(0.5).Identify(b.Plan);
        double[] percentiles = [99.999, 99.99, 99.95, 99.9, 99.8, 99.5, 99, 98, 95];
        var points = AlphaSweep.Run(Shared.Runner, b, sf, ImportanceKind.ExponentLossFree, percentiles);
        double oneSample = 1.0 / sf.Length, threshold = new PtnOptions().Rho * points[0].ForgetAccuracy;
        var (_, damage) = Table1Tests.Margins(b);
        var order = new Order("P.F6.trend (XLF, S_f = 50%)");
        for (int i = 1; i < points.Count; i++)
        {
            order.AtLeast($"α={points[i].Alpha:G3}: dampened", points[i].Dampened, $"α={points[i - 1].Alpha:G3}", points[i - 1].Dampened, 0);
            order.AtLeast($"S_f accuracy at α={points[i - 1].Alpha:G3}", 100 * points[i - 1].ForgetAccuracy, $"α={points[i].Alpha:G3}", 100 * points[i].ForgetAccuracy, 100 * 2 * oneSample);
        }
        foreach (var p in points.TakeWhile(p => p.ForgetAccuracy > threshold))
            order.AtLeast($"clean accuracy at α={p.Alpha:G3} (before S_f crosses ρ)", 100 * p.CleanAccuracy, "the poisoned model's", 100 * b.PoisonedEval.CleanAccuracy, damage);
        order.Above("S_f accuracy drop over the sweep", points[0].ForgetAccuracy, "the most aggressive α", points[^1].ForgetAccuracy);
        order.Assert();
    }
}
