using Unlearning.Reporting;
using Unlearning.Scenarios;
using Unlearning.Unlearning;
using static Unlearning.Claims.PotionFixture;

namespace Unlearning.Claims;

/// <summary>
/// Potion Fig. 6 (P.F6.trend): along a decreasing selection threshold α (XLF importances, S_f = 50%) more parameters are
/// dampened, S_f's accuracy falls, and the clean accuracy holds until S_f crosses ρ.
/// </summary>
public sealed class PotionFigure6(PotionFixture f) : IClaimGroup
{
    /// <inheritdoc />
    public IEnumerable<ClaimVariant> Variants => [new("P.F6.trend", "XLF, S_f=50%", AlphaTrend)];

    private Finding AlphaTrend()
    {
        var b = f.Base();
        var sf = Discovery.Share(0.5).Identify(b.Plan);
        double[] percentiles = [99.999, 99.99, 99.95, 99.9, 99.8, 99.5, 99, 98, 95];
        var points = AlphaSweep.Run(f.Runner, b, sf, ImportanceKind.ExponentLossFree, percentiles);
        double oneSample = 1.0 / sf.Length, threshold = new PtnOptions().Rho * points[0].ForgetAccuracy;
        var o = new OrderChecks();
        // The sweep is deterministic given the importances: the dampened count and the S_f accuracy are exact, and a step may
        // flip two S_f samples either way (δ = two samples' share).
        for (int i = 1; i < points.Count; i++)
        {
            o.NoLowerThan($"α={points[i].Alpha:G3}: dampened", points[i].Dampened, $"α={points[i - 1].Alpha:G3}", points[i - 1].Dampened, Difference.Exact(points[i].Dampened, points[i - 1].Dampened), 0);
            o.NoLowerThan($"S_f accuracy at α={points[i - 1].Alpha:G3}", 100 * points[i - 1].ForgetAccuracy, $"α={points[i].Alpha:G3}", 100 * points[i].ForgetAccuracy,
                Difference.Exact(100 * points[i - 1].ForgetAccuracy, 100 * points[i].ForgetAccuracy), 100 * 2 * oneSample);
        }
        foreach (var p in points.TakeWhile(p => p.ForgetAccuracy > threshold))
            o.NoLowerThan($"clean accuracy at α={p.Alpha:G3} (before S_f crosses ρ)", 100 * p.CleanAccuracy, "the poisoned model's", 100 * b.PoisonedEval.CleanAccuracy,
                Difference.Paired(p.CleanCorrect, b.PoisonedEval.CleanCorrect, 100, "clean test images"), Delta("P.F6.trend"));
        o.Above("S_f accuracy drop over the sweep", 100 * points[0].ForgetAccuracy, "the most aggressive α", 100 * points[^1].ForgetAccuracy,
            Difference.Exact(100 * points[0].ForgetAccuracy, 100 * points[^1].ForgetAccuracy));
        var x = points.Select(p => 100 - p.Percentile).ToArray();
        var figure = new FigureData("potion-fig6-alpha.png", "Potion Fig. 6 (ci): accuracy along decreasing α (XLF, S_f = 50%)",
            "share of parameters above α (100 − percentile of I_f/I_D, %)", "accuracy (%)",
        [
            new Series("S_f (trigger on, target label)", x, points.Select(p => 100 * p.ForgetAccuracy).ToArray()),
            new Series("clean test", x, points.Select(p => 100 * p.CleanAccuracy).ToArray()),
        ]);
        return Finding.Of(o, null, "", figure);
    }
}
