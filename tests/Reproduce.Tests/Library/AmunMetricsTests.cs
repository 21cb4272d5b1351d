using Reproduce.Tests.Support;
using Unlearning.Metrics;
using Xunit;

namespace Reproduce.Tests.Library;

/// <summary>Hand-computed cases for the metrics behind AMUN's tables: mid-rank ROC AUC, the MIS threshold, SM-Taylor softmax, Avg Gap.</summary>
[Scale("unit")]
public class AmunMetricsTests
{
    [Fact]
    public void Auc_of_perfectly_separated_scores_is_one_and_reversed_is_zero()
    {
        Assert.Equal(1.0, RocAuc.Compute([3, 4, 5], [0, 1, 2]));
        Assert.Equal(0.0, RocAuc.Compute([0, 1], [2, 3, 4]));
    }

    [Fact]
    public void Auc_counts_ties_as_half()
    {
        // All tied: chance exactly, whatever order a sort leaves them in.
        Assert.Equal(0.5, RocAuc.Compute([1, 1, 1], [1, 1]));
        // positives {1, 2}, negatives {1, 0}: pairs (1>1 tie ½, 1>0 1, 2>1 1, 2>0 1) = 3.5 / 4
        Assert.Equal(0.875, RocAuc.Compute([1, 2], [1, 0]));
    }

    [Fact]
    public void Auc_refuses_empty_classes_and_nan()
    {
        Assert.Throws<ArgumentException>(() => RocAuc.Compute([], [1.0]));
        Assert.Throws<ArgumentException>(() => RocAuc.Compute([double.NaN], [1.0]));
    }

    [Fact]
    public void Mis_threshold_separates_members_from_non_members_and_scores_the_forget_set()
    {
        double t = MembershipInference.FitThreshold([5, 6, 7], [1, 2, 3]);
        Assert.InRange(t, 3.0001, 4.9999);
        // Forget samples at 2 and 6: one predicted non-member.
        Assert.Equal(0.5, MembershipInference.Mis([5, 6, 7], [1, 2, 3], [2, 6]));
    }

    [Fact]
    public void Mis_threshold_with_inseparable_classes_still_maximises_training_accuracy()
    {
        // members {1, 4, 5}, non-members {2, 3, 0}: best cut between 3 and 4 → 5/6 correct.
        double t = MembershipInference.FitThreshold([1, 4, 5], [2, 3, 0]);
        Assert.InRange(t, 3.0001, 3.9999);
    }

    [Fact]
    public void Taylor_soft_margin_softmax_matches_the_hand_computed_value()
    {
        var o = new RmiaOptions(Temperature: 2, Margin: 0.6, TaylorOrder: 4);
        // logits (2, 0): own = t(1 − 0.6) = t(0.4), other = t(0) = 1; t(z) = 1 + z + z²/2 + z³/6 + z⁴/24
        double t04 = 1 + 0.4 + 0.08 + 0.064 / 6 + 0.0256 / 24;
        Assert.Equal(t04 / (t04 + 1), Rmia.TaylorSoftMargin([2f, 0f], 0, o), 12);
        Assert.Throws<ArgumentException>(() => new RmiaOptions(TaylorOrder: 3).Validate());
    }

    [Fact]
    public void Avg_gap_is_the_mean_absolute_difference_of_the_four_metrics()
    {
        var retrain = new UnlearningMetrics(94.49, 100, 94.33, 50);
        var amun = new UnlearningMetrics(95.45, 99.57, 93.45, 50.18);
        // AMUN Table 1, 10%: (0.96 + 0.43 + 0.88 + 0.18) / 4 = 0.6125 (printed 0.62 as a mean over runs)
        Assert.Equal(0.6125, amun.AvgGap(retrain), 10);
        Assert.Equal(0, retrain.AvgGap(retrain));
    }

    [Fact]
    public void Balanced_auc_subsamples_the_larger_set_and_is_deterministic_in_the_seed()
    {
        double[] pos = [0.9, 0.8, 0.7], neg = Enumerable.Range(0, 50).Select(i => i / 100.0).ToArray();
        Assert.Equal(100, Rmia.BalancedAuc(pos, neg, seed: 3));
        Assert.Equal(Rmia.BalancedAuc(neg, pos, 5), Rmia.BalancedAuc(neg, pos, 5));
    }
}
