using Unlearning.Reporting;
using static Unlearning.Claims.AmunValues;

namespace Unlearning.Claims;

/// <summary>AMUN App. E.1 (A.E1.cost): Alg. 1 over D_F costs fewer than 3 full PGD-50 passes (in attacked samples); Fig. 4's ε histogram.</summary>
public sealed class AmunCost(AmunFixture f) : IClaimGroup
{
    /// <inheritdoc />
    public IEnumerable<ClaimVariant> Variants => [new("A.E1.cost", "forget 10% and 50%", Cost)];

    private Finding Cost()
    {
        var e = f.Experiment;
        var o = new OrderChecks();
        var values = new Dictionary<string, Measured>();
        var series = new List<Series>();
        foreach (double share in AmunFixture.Fractions)
        {
            var set = e.AdversarialSet(e.ForgetSet(share, 0));
            o.NoLowerThan("3 PGD-50 passes", 3, $"Alg. 1 on {Pct(share)} ({set.Requested.Length} samples)", set.PassEquivalents, Difference.Exact(3, set.PassEquivalents), 0);
            int n = set.Requested.Length;
            values[$"no_adversarial_example@{100 * share:0}%"] = Count(set.Failed.Length, n);
            // Pass equivalents are attacked samples over |D_F|: a count, with Poisson noise √(attacked) / |D_F|.
            values[$"pass_equivalents@{100 * share:0}%"] = Measured.WithError(set.PassEquivalents, Math.Sqrt(Math.Max(1, set.PassEquivalents * n)) / n);
            values[$"epsilon_init@{100 * share:0}%"] = Measured.Reported(set.EpsilonInit);
            var levels = set.Doublings.GroupBy(k => k).OrderBy(g => g.Key).ToArray();
            series.Add(new Series($"forget {Pct(share)}", levels.Select(g => set.EpsilonInit * Math.Pow(2, g.Key)).ToArray(),
                levels.Select(g => 100.0 * g.Count() / set.Requested.Length).ToArray()));
        }
        return Finding.Of(o, values, "", new FigureData("amun-fig4-epsilon.png", "AMUN Fig. 4 (ci): final ε of Alg. 1", "final ε", "share of D_F (%)", series));
    }
}
