using Unlearning.Data;

namespace Unlearning.Claims;

/// <summary>
/// Healing Table 3 (H.T3.influence): LiSSA influence unlearning with the MNIST rows' settings (batch_r 2048, batch_f 1024
/// up to 10% and 2048 above, ε 10⁻⁴, max-norm 1, depth 10, scale 10) and the update as §3 prints it (H⁻¹Σ∇ℓ,
/// <see cref="Unlearning.InfluenceStep.Sum"/>, the one scaling every Healing claim uses) after deleting 5–30% at random
/// "degrades from 97.8% (5% removal) to 94.1% (30% removal) … but leaves a 2–5 point accuracy gap to M_Gold" (§5.2):
/// Gold above Influence at every share; Influence after 5% above after 30%; and at the largest share the gap inside the
/// paper's band — Gold above by more than the catalog's order δ (2) and Influence no more than its non-inferiority δ (5)
/// below Gold — each paired on the test samples. "Faster than retrain" is reported as Gold's training time over
/// Influence's, measured in this run (paper: 3×–10×), not asserted. Its negative control puts the base model in
/// Influence's place (a method that does nothing).
/// </summary>
public sealed class HealingTable3(HealingFixture f) : IClaimGroup
{
    /// <inheritdoc />
    public IEnumerable<ClaimVariant> Variants =>
        [new("H.T3.influence", "MNIST, random 5–30%", () => Influence(f.Datasets.Mnist), [new Control("None", Negative: true, () => Influence(f.Datasets.Mnist, none: true))])];

    private Finding Influence(DatasetId dataset, bool none = false)
    {
        var b = f.Base(dataset);
        var gold = f.Deletions(dataset);
        var o = new OrderChecks();
        var values = new Dictionary<string, Measured>();
        var corrects = new List<bool[]>();
        var times = new List<string>();
        var claim = ClaimCatalog.Get("H.T3.influence");
        string name = none ? "None" : "Influence";
        foreach (var point in gold)
        {
            var (correct, seconds) = none ? (f.BaseCorrect(b), 0.0) : f.InfluenceResult(b, point.Fraction);
            corrects.Add(correct);
            double accuracy = (double)correct.Count(c => c) / correct.Length;
            o.Above($"Gold accuracy after deleting {point.Fraction:P0}", 100 * point.GoldAccuracy, name, 100 * accuracy, Difference.Paired(point.GoldCorrect, correct));
            values[$"influence_accuracy@{100 * point.Fraction:0}%"] = Measured.Share(accuracy, correct.Length, HealingPaper.AfterRemoval(3, point.Fraction));
            times.Add($"{point.Fraction:P0}: {seconds:0.0} s vs Gold {point.GoldSeconds:0.0} s");
            if (!none && seconds > 0) values[$"gold_over_influence_time@{100 * point.Fraction:0}%"] = Measured.Reported(point.GoldSeconds / seconds);
        }
        double Acc(bool[] c) => 100.0 * c.Count(x => x) / c.Length;
        o.Above($"{name} accuracy after {gold[0].Fraction:P0}", Acc(corrects[0]), $"after {gold[^1].Fraction:P0}", Acc(corrects[^1]), Difference.Paired(corrects[0], corrects[^1]));
        var last = gold[^1];
        o.Above($"Gold accuracy after deleting {last.Fraction:P0}, by more than the paper's smallest gap", 100 * last.GoldAccuracy, name, Acc(corrects[^1]),
            Difference.Paired(last.GoldCorrect, corrects[^1]), by: claim.Delta("order"));
        o.NoLowerThan($"{name} accuracy after deleting {last.Fraction:P0}, within the paper's largest gap", Acc(corrects[^1]), "Gold", 100 * last.GoldAccuracy,
            Difference.Paired(corrects[^1], last.GoldCorrect), claim.Delta("non-inferiority"));
        return Finding.Of(o, values, "unlearning time (reported, not asserted; paper: Influence 3×–10× faster than retraining): " + string.Join("; ", times));
    }
}
