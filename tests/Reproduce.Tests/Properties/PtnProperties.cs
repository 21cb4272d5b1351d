using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Reproduce.Tests.Support;
using Unlearning.Unlearning;

namespace Reproduce.Tests.Properties;

/// <summary>
/// Potion Alg. 1 (PTN search) over random importance-ratio distributions and random monotone accuracy curves
/// (accuracy on S_f falls as α falls, as Fig. 6 shows; where it falls is random).
/// </summary>
[Scale("unit")]
public class PtnProperties
{
    public sealed record Case(double[] SortedRatios, double OriginalAccuracy, double CollapseAlpha, double Floor, double StartShare, PtnOptions Options)
    {
        /// <summary>S_f accuracy after dampening at α: the original above the collapse point, falling linearly in log α below it.</summary>
        public double AccuracyAt(double alpha) =>
            alpha >= CollapseAlpha ? OriginalAccuracy
            : Math.Max(Floor, OriginalAccuracy * (1 - (Math.Log(CollapseAlpha) - Math.Log(Math.Max(alpha, 1e-12))) / 3));
    }

    public static Arbitrary<Case> Cases() =>
        (from n in Gen.Choose(1, 400)
         from ratios in Gen.ArrayOf(Gen.Frequency((1, Gen.Constant(1.0)), (9, Gen.Choose(1, 1_000_000).Select(v => v / 1000.0))), n)
         from original in Gen.Choose(1, 100).Select(v => v / 100.0)
         from collapse in Gen.Choose(1, 2000).Select(v => v / 10.0)
         from floor in Gen.Choose(0, 30).Select(v => v / 100.0)
         from share in Gen.Choose(1, 1000).Select(v => v / 100_000.0)
         from rho in Gen.Choose(5, 50).Select(v => v / 100.0)
         from step in Gen.Elements(1.01, 1.1, 2.0)
         from maxTries in Gen.Choose(1, 500)
         select new Case(ratios.Order().ToArray(), original, collapse, floor, share, new PtnOptions(rho, SStep: step, MaxTries: maxTries))).ToArbitrary();

    [Property(Arbitrary = [typeof(PtnProperties)]), Claim("P.Alg1.ptn")]
    public bool Search_terminates_alpha_strictly_decreases_and_returns_the_least_aggressive_crossing(Case c)
    {
        int calls = 0;
        var trace = PtnSearch.Run(c.SortedRatios, c.OriginalAccuracy, c.StartShare, c.Options, a => { calls++; return c.AccuracyAt(a); });
        if (calls != trace.Steps.Count || trace.Steps.Count > c.Options.MaxTries) return false;
        for (int i = 1; i < trace.Steps.Count; i++)
            if (!(trace.Steps[i].Alpha < trace.Steps[i - 1].Alpha) || !(trace.Steps[i].Try > trace.Steps[i - 1].Try)) return false;
        double threshold = c.Options.Rho * c.OriginalAccuracy;
        if (trace.Chosen is { } chosen)
        {
            // It stops at the first crossing: every earlier (less aggressive, higher-α) candidate stayed above the threshold.
            return ReferenceEquals(chosen, trace.Steps[^1]) && chosen.ForgetAccuracy <= threshold
                   && trace.Steps.Take(trace.Steps.Count - 1).All(s => s.ForgetAccuracy > threshold);
        }
        return trace.Steps.All(s => s.ForgetAccuracy > threshold);
    }

    [Property(Arbitrary = [typeof(PtnProperties)]), Claim("P.Alg1.ptn")]
    public bool Candidate_alpha_is_the_percentile_of_the_ratios(Case c)
    {
        var trace = PtnSearch.Run(c.SortedRatios, c.OriginalAccuracy, c.StartShare, c.Options, c.AccuracyAt);
        return trace.Steps.All(s =>
            Math.Abs(s.Percentile - Math.Max(0, 100 - Math.Log(1 + 100 * s.Share))) < 1e-9
            && s.Alpha >= c.SortedRatios[0] && s.Alpha <= c.SortedRatios[^1]
            && Math.Abs(s.Alpha - PtnSearch.Percentile(c.SortedRatios, s.Percentile)) < 1e-12);
    }

    [Property]
    public bool Percentile_matches_the_interpolated_order_statistic(NonEmptyArray<NormalFloat> values, byte pRaw)
    {
        var sorted = values.Get.Select(v => v.Get).Order().ToArray();
        double p = pRaw / 255.0 * 100;
        double v = PtnSearch.Percentile(sorted, p);
        return v >= sorted[0] && v <= sorted[^1]
               && PtnSearch.Percentile(sorted, 0) == sorted[0] && PtnSearch.Percentile(sorted, 100) == sorted[^1];
    }

    [Xunit.Fact]
    public void Options_that_cannot_terminate_are_refused()
    {
        Xunit.Assert.Contains("s_step", Xunit.Assert.Throws<ArgumentOutOfRangeException>(() => new PtnOptions(SStep: 1.0).Validate()).Message);
        Xunit.Assert.Contains("ρ", Xunit.Assert.Throws<ArgumentOutOfRangeException>(() => new PtnOptions(Rho: 0).Validate()).Message);
        Xunit.Assert.Throws<ArgumentException>(() => PtnSearch.Run([], 1, 0.01, new PtnOptions(), _ => 0));
    }
}
