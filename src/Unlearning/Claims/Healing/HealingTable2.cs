using Unlearning.Data;
using Unlearning.Unlearning;
using static Unlearning.Claims.HealingFixture;

namespace Unlearning.Claims;

/// <summary>
/// Healing Table 2 (H.T2.fisher-collapse): the diagonal-Fisher update (σ 3.5·10⁻³, ε 10⁻⁶, F on 1,000 retain samples at
/// ci) applied to the base model after deleting 5–30% at random collapses it to about one class (the paper: 10–33%
/// accuracy for every setting).
/// </summary>
public sealed class HealingTable2(HealingFixture f) : IClaimGroup
{
    /// <inheritdoc />
    public IEnumerable<ClaimVariant> Variants => [new("H.T2.fisher-collapse", "MNIST, random 5–30%", () => FisherCollapse(f.Datasets.Mnist))];

    private Finding FisherCollapse(DatasetId dataset)
    {
        var b = f.Base(dataset);
        var evaluator = new Training.Evaluator(f.Runner.Device);
        var o = new OrderChecks();
        var values = new Dictionary<string, Measured>();
        foreach (double share in DeletedShares)
        {
            var result = new FisherForgetting().Unlearn(f.DeletionRequest(b, share));
            double accuracy;
            using (result.Model) accuracy = evaluator.Accuracy(result.Model, b.Data, b.Split.Test);
            o.Above("the collapse bound 33%", 33, $"Fisher accuracy after deleting {share:P0}", 100 * accuracy,
                Difference.AgainstConstant(accuracy, b.Split.Test.Length, 33).Negated());
            values[$"fisher_accuracy@{100 * share:0}%"] = Measured.Share(accuracy, b.Split.Test.Length, HealingPaper.AfterRemoval(2, share));
        }
        return Finding.Of(o, values);
    }
}
