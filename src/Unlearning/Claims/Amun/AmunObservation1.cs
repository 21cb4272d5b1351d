using Unlearning.Metrics;

namespace Unlearning.Claims;

/// <summary>
/// AMUN Observation 1 (Fig. 3, A.Obs1): for the retrained model, D_F's confidences φ are distributed like D_T's (their AUC
/// is equivalent to 50% within the catalog's δ) and unlike D_R's (D_R vs D_F AUC above 50%), each with a bootstrap interval over the samples.
/// </summary>
public sealed class AmunObservation1(AmunFixture f) : IClaimGroup
{
    /// <inheritdoc />
    public IEnumerable<ClaimVariant> Variants => [new("A.Obs1", "retrained model, forget 10%", () => Observation1(0.1))];

    private Finding Observation1(double fraction)
    {
        var e = f.Experiment;
        var forget = e.ForgetSet(fraction, 0);
        var phi = f.Phis(e.Retrained(forget), forget);
        double ft = 100 * RocAuc.Compute(phi.Forget, phi.Test), rf = 100 * RocAuc.Compute(phi.Retain, phi.Forget);
        var o = new OrderChecks()
            .Close("φ AUC D_F vs D_T", ft, "50", 50, AmunValues.PhiAucDifference(new(phi.Forget, phi.Test), null, 50), AmunFixture.AucDelta("A.Obs1"))
            .Above("φ AUC D_R vs D_F", rf, "50", 50, AmunValues.PhiAucDifference(new(phi.Retain, phi.Forget), null, 50));
        return Finding.Of(o, new Dictionary<string, Measured>
            {
                ["phi_auc_forget_vs_test"] = Measured.WithError(ft, 100 * Difference.AucStdError(ft / 100, phi.Forget.Length, phi.Test.Length)),
                ["phi_auc_retain_vs_forget"] = Measured.WithError(rf, 100 * Difference.AucStdError(rf / 100, phi.Retain.Length, phi.Forget.Length)),
            }, "",
            AmunFixture.ConfidenceFigure("amun-fig3-retrained-confidence.png", "AMUN Fig. 3 (ci): confidence φ of the retrained model", phi));
    }
}
