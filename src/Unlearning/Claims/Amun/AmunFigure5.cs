using Unlearning.Metrics;
using Unlearning.Scenarios;
using static Unlearning.Claims.AmunValues;

namespace Unlearning.Claims;

/// <summary>
/// AMUN Fig. 5 (App. F.1.1, A.F5.conf-shift): after AMUN "the distribution for D_F shifts toward that of D_T": the φ AUC of
/// D_F against D_T comes closer to 50 — its distance |AUC − 50| before AMUN above after, by a paired bootstrap over the
/// forget and test samples (a fall that overshoots far below 50 is no shift toward D_T and does not pass).
/// </summary>
public sealed class AmunFigure5(AmunFixture f) : IClaimGroup
{
    /// <inheritdoc />
    public IEnumerable<ClaimVariant> Variants => [new("A.F5.conf-shift", "with D_R, forget 10%", () => ConfidenceShift(0.1))];

    private Finding ConfidenceShift(double fraction)
    {
        var e = f.Experiment;
        var forget = e.ForgetSet(fraction, 0);
        var before = f.Phis(e.Original.Model, forget);
        var amun = e.Create("AMUN", RetainAccess.WithRetain, e.TunedRate("AMUN", fraction, RetainAccess.WithRetain));
        var result = amun.Unlearn(new Unlearning.UnlearningRequest(e.Original.Model, () => f.Runner.CreateModel(e.Scenario.Base, e.Original.Data), e.Original.Data,
            e.Original.Split.Train.Except(forget).ToArray(), forget, e.Scenario.Base.Training, e.Scenario.Base.Seed, Device: f.Runner.Device));
        (double[] Retain, double[] Forget, double[] Test) after;
        using (result.Model) after = f.Phis(result.Model, forget);
        double aucBefore = 100 * RocAuc.Compute(before.Forget, before.Test), aucAfter = 100 * RocAuc.Compute(after.Forget, after.Test);
        var distance = Difference.BootstrapAucs([new(before.Forget, before.Test)], [new(after.Forget, after.Test)], (p, n) => Math.Abs(100 * RocAuc.Compute(p, n) - 50));
        var o = new OrderChecks().Above("distance of the φ AUC D_F vs D_T from 50 before AMUN", Math.Abs(aucBefore - 50), "after", Math.Abs(aucAfter - 50), distance);
        return Finding.Of(o, new Dictionary<string, Measured> { ["phi_auc_before"] = Auc(e, aucBefore, forget.Length), ["phi_auc_after"] = Auc(e, aucAfter, forget.Length) }, "",
            AmunFixture.ConfidenceFigure("amun-fig5-before.png", "AMUN Fig. 5 (ci): confidence φ of the original model", before),
            AmunFixture.ConfidenceFigure("amun-fig5-after.png", "AMUN Fig. 5 (ci): confidence φ after AMUN", after));
    }
}
