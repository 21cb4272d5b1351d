using Unlearning.Metrics;
using Unlearning.Scenarios;
using static Unlearning.Claims.AmunValues;

namespace Unlearning.Claims;

/// <summary>AMUN Fig. 5 (A.F5.conf-shift): after AMUN the forget set's confidences move toward the test set's (φ AUC D_F vs D_T falls toward 50%).</summary>
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
        var o = new OrderChecks().Above("φ AUC D_F vs D_T before AMUN", aucBefore, "after", aucAfter, PhiAucDifference(new(before.Forget, before.Test), new(after.Forget, after.Test)));
        return Finding.Of(o, new Dictionary<string, Measured> { ["phi_auc_before"] = Auc(e, aucBefore, forget.Length), ["phi_auc_after"] = Auc(e, aucAfter, forget.Length) }, "",
            AmunFixture.ConfidenceFigure("amun-fig5-before.png", "AMUN Fig. 5 (ci): confidence φ of the original model", before),
            AmunFixture.ConfidenceFigure("amun-fig5-after.png", "AMUN Fig. 5 (ci): confidence φ after AMUN", after));
    }
}
