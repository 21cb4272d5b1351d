using Unlearning.Scenarios;
using static Unlearning.Claims.AmunValues;

namespace Unlearning.Claims;

/// <summary>
/// AMUN Table 3 (§6.2.2, A.T3.lipschitz): on a model whose layers are 1-Lipschitz (<see cref="Models.LipschitzCnn"/> at ci
/// scale, a clipped <see cref="Models.ResNet18"/> at paper scale, each trained like its scale's original), AMUN without D_R
/// leaves RMIA's FT AUC where the retrained model's is, within the catalog's equivalence δ, and — "as effective … on models
/// that are adversarially robust" is about a model that still works — its test accuracy no more than the catalog's
/// non-inferiority δ below the retrained model's (paired on the test samples). The robust scenario must still leak
/// membership (original FT AUC ≥ retrained + <see cref="AmunFixture.ValidityGap"/>) for this to mean anything.
/// </summary>
public sealed class AmunTable3(AmunFixture f) : IClaimGroup
{
    /// <inheritdoc />
    public IEnumerable<ClaimVariant> Variants =>
    [
        new("A.T3.lipschitz", "1-Lipschitz layers, D_F only, forget 10%", () => Lipschitz(0.1)),
        new("A.T3.lipschitz", "1-Lipschitz layers, D_F only, forget 50%", () => Lipschitz(0.5)),
    ];

    private Finding Lipschitz(double fraction)
    {
        var e = f.Lipschitz;
        var forget = e.ForgetSet(fraction, 0);
        var original = e.Evaluate(e.Original.Model, forget);
        var retrained = e.RetrainedEvaluation(forget);
        var row = e.Row("AMUN", fraction, RetainAccess.ForgetOnly);
        int test = e.Original.Split.Test.Length;
        var o = new OrderChecks()
            .Valid($"original FT AUC ({e.Rmia.ReferenceModels} RMIA reference models)", original.Metrics.Mia, "retrained FT AUC", retrained.Metrics.Mia,
                FtAucDifference(e, [original.FtScores!], [retrained.FtScores!]), AmunFixture.ValidityGap)
            .Close("AMUN FT AUC", row.Metrics.Mia, "the retrained model's", retrained.Metrics.Mia,
                FtAucDifference(e, row.FtScores, [retrained.FtScores!]), AmunFixture.AucDelta("A.T3.lipschitz"))
            .NoLowerThan("AMUN test accuracy", row.Metrics.TestAccuracy, "the retrained model's", retrained.Metrics.TestAccuracy,
                TestAccuracyDifference(e, row, retrained), ClaimCatalog.Get("A.T3.lipschitz").Delta("non-inferiority"));
        var values = new Dictionary<string, Measured>
        {
            ["original_ft_auc"] = Auc(e, original.Metrics.Mia, forget.Length),
            ["original_train_accuracy"] = Measured.Share(100 * e.Original.TrainAccuracy, e.Original.Split.Train.Length, scale: 100),
            ["original_test_accuracy"] = Measured.Share(100 * e.Original.TestAccuracy, test, scale: 100),
            ["retrain_ft_auc"] = Auc(e, retrained.Metrics.Mia, forget.Length, AmunPaper.Cell(3, fraction, "Retrain", "ft_auc")),
            ["retrain_test_acc"] = Measured.Share(retrained.Metrics.TestAccuracy, test, AmunPaper.Cell(3, fraction, "Retrain", "test_acc"), 100),
            ["AMUN.ft_auc"] = Auc(e, row.Metrics.Mia, forget.Length, AmunPaper.Cell(3, fraction, "AMUN", "ft_auc")),
            ["AMUN.test_acc"] = Measured.Share(row.Metrics.TestAccuracy, test, AmunPaper.Cell(3, fraction, "AMUN", "test_acc"), 100),
            ["AMUN.avg_gap"] = Gap(e, row, forget.Length),
        };
        return Finding.Of(o, values, $"{e.Scenario.Base.Name}: {e.Original.Split.Train.Length} train / {e.Original.Split.Test.Length} test; {Rates([row])}");
    }
}
