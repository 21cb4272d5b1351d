using Unlearning.Reporting;
using Unlearning.Scenarios;
using Unlearning.Unlearning;
using static Unlearning.Claims.AmunValues;

namespace Unlearning.Claims;

/// <summary>
/// AMUN Fig. 1 (§3.2 and §6.2.1, A.F1.adv-keeps-acc): fine-tuning on D_A keeps the test accuracy better than on its
/// substitutes D_AdvL, D_RL, D_ARL, D_ARS — most clearly when D_A (or the substitute) is all the model is tuned on. §3.2:
/// tuned on D ∪ D_A the model "has a similar test accuracy to Orig" (tuned on D: equivalence within the catalog's δ), and
/// "the test accuracy of the model does not deteriorate, even when it is being fine-tuned on only D_A" (no more than the
/// catalog's non-inferiority δ below the original model). Test accuracy per epoch for D ∪ X, D_F ∪ X and X, with D_F itself
/// ("Orig") as a reference; every difference is paired on the test samples.
/// </summary>
public sealed class AmunFigure1(AmunFixture f) : IClaimGroup
{
    /// <inheritdoc />
    public IEnumerable<ClaimVariant> Variants => [new("A.F1.adv-keeps-acc", "forget 10%", () => Substitutes(0.1))];

    private static string Label(SubstituteSet k) => k switch
    {
        SubstituteSet.Adversarial => "D_A (Adv)",
        SubstituteSet.Original => "D_F (Orig)",
        SubstituteSet.AdversarialLabel => "D_AdvL (Orig-AdvL)",
        SubstituteSet.RandomLabel => "D_RL (Orig-RL)",
        SubstituteSet.AdversarialRandomLabel => "D_ARL (Adv-RL)",
        _ => "D_ARS (Adv-RS)",
    };

    private Finding Substitutes(double fraction)
    {
        var e = f.Experiment;
        var o = new OrderChecks();
        var values = new Dictionary<string, Measured>();
        var figures = new List<FigureData>();
        var claim = ClaimCatalog.Get("A.F1.adv-keeps-acc");
        var originalCorrect = f.Runner.Evaluator(e.Original.Scenario).Correct(e.Original.Model, e.Original.Data, e.Original.Split.Test);
        double originalAccuracy = 100.0 * originalCorrect.Count(c => c) / originalCorrect.Length;
        var substitutes = new[] { SubstituteSet.AdversarialLabel, SubstituteSet.RandomLabel, SubstituteSet.AdversarialRandomLabel, SubstituteSet.AdversarialRandomSphere };
        foreach (var setting in new[] { SubstituteSetting.WithD, SubstituteSetting.WithForget, SubstituteSetting.Alone })
        {
            var curves = Enum.GetValues<SubstituteSet>().ToDictionary(k => k, k => e.SubstituteCurve(k, setting, fraction));
            foreach (var (k, c) in curves) values[$"{setting}.{k}.final_test_acc"] = Measured.Share(c.TestAccuracy[^1], e.Original.Split.Test.Length, scale: 100);
            var adv = curves[SubstituteSet.Adversarial];
            if (setting == SubstituteSetting.WithD)
                o.Close("test accuracy after tuning on D ∪ D_A", adv.TestAccuracy[^1], "on D (Orig)", curves[SubstituteSet.Original].TestAccuracy[^1],
                    Difference.Paired(adv.FinalCorrect, curves[SubstituteSet.Original].FinalCorrect), claim.Delta("equivalence"));
            if (setting == SubstituteSetting.Alone)
            {
                o.NoLowerThan("test accuracy after tuning on D_A alone", adv.TestAccuracy[^1], "the original model's", originalAccuracy,
                    Difference.Paired(adv.FinalCorrect, originalCorrect), claim.Delta("non-inferiority"));
                foreach (var k in substitutes)
                    o.Above($"test accuracy after tuning on D_A alone", adv.TestAccuracy[^1], $"on {Label(k)} alone", curves[k].TestAccuracy[^1],
                        Difference.Paired(adv.FinalCorrect, curves[k].FinalCorrect));
            }
            string title = setting switch
            {
                SubstituteSetting.WithD => "D ∪ X",
                SubstituteSetting.WithForget => "D_F ∪ X",
                _ => "X alone",
            };
            figures.Add(new FigureData($"amun-fig1-{setting.ToString().ToLowerInvariant()}.png", $"AMUN Fig. 1 (ci): test accuracy while fine-tuning on {title}",
                "epoch", "test accuracy (%)",
                curves.Select(c => new Series(Label(c.Key), Enumerable.Range(0, c.Value.TestAccuracy.Length).Select(i => (double)i).ToArray(), c.Value.TestAccuracy)).ToArray()));
        }
        return Finding.Of(o, values, $"rates: AMUN's tuned rates (with D_R for D ∪ X, D_F only otherwise), {e.Scenario.UnlearnEpochs} epochs", [.. figures]);
    }
}
