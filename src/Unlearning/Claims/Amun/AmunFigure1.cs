using Unlearning.Reporting;
using Unlearning.Scenarios;
using Unlearning.Unlearning;
using static Unlearning.Claims.AmunValues;

namespace Unlearning.Claims;

/// <summary>
/// AMUN Fig. 1 (§6.2.1, A.F1.adv-keeps-acc): fine-tuning on D_A keeps the test accuracy better than on its substitutes
/// D_AdvL, D_RL, D_ARL, D_ARS — most clearly when D_A (or the substitute) is all the model is tuned on. Test accuracy per
/// epoch for D ∪ X, D_F ∪ X and X, with D_F itself ("Orig") as a reference.
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
        var substitutes = new[] { SubstituteSet.AdversarialLabel, SubstituteSet.RandomLabel, SubstituteSet.AdversarialRandomLabel, SubstituteSet.AdversarialRandomSphere };
        foreach (var setting in new[] { SubstituteSetting.WithD, SubstituteSetting.WithForget, SubstituteSetting.Alone })
        {
            var curves = Enum.GetValues<SubstituteSet>().ToDictionary(k => k, k => e.SubstituteCurve(k, setting, fraction));
            foreach (var (k, c) in curves) values[$"{setting}.{k}.final_test_acc"] = Measured.Share(c.TestAccuracy[^1], e.Original.Split.Test.Length, scale: 100);
            if (setting == SubstituteSetting.Alone)
                foreach (var k in substitutes)
                    o.Above($"test accuracy after tuning on D_A alone", curves[SubstituteSet.Adversarial].TestAccuracy[^1], $"on {Label(k)} alone", curves[k].TestAccuracy[^1],
                        Difference.Paired(curves[SubstituteSet.Adversarial].FinalCorrect, curves[k].FinalCorrect));
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
