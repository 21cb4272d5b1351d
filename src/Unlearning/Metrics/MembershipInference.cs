namespace Unlearning.Metrics;

/// <summary>
/// MIS, the confidence membership-inference score of SalUn / ℓ1-sparse that AMUN reports in Tables 10–11. A classifier on
/// one feature, the true-class confidence, is fitted with members = a random retain subset the size of the test set and
/// non-members = the test set; MIS = the share of D_F it predicts to be non-members (a retrained model scores high).
/// The reference fits an RBF SVM (C = 3) on the softmax probability. Here the classifier is the exact best threshold on
/// the confidence logit φ (monotone in the probability, without its saturation): predict "member" iff φ ≥ t, t maximising
/// training accuracy. A linear SVM on one feature is such a threshold; an RBF kernel could also cut intervals, which a
/// confidence attack has no reason to want.
/// </summary>
public static class MembershipInference
{
    /// <summary>The fitted threshold on φ: samples at or above it are predicted members.</summary>
    public static double FitThreshold(IReadOnlyList<double> memberPhi, IReadOnlyList<double> nonMemberPhi)
    {
        if (memberPhi.Count == 0 || nonMemberPhi.Count == 0) throw new ArgumentException("the MIA classifier needs members and non-members");
        var all = memberPhi.Select(v => (V: v, M: true)).Concat(nonMemberPhi.Select(v => (V: v, M: false))).OrderBy(p => p.V).ToArray();
        // Threshold below everything: all predicted members → correct = members.
        int correct = memberPhi.Count, best = correct;
        double bestT = double.NegativeInfinity;
        for (int i = 0; i < all.Length;)
        {
            int j = i;
            while (j < all.Length && all[j].V == all[i].V) { correct += all[j].M ? -1 : 1; j++; }
            // threshold just above all[i].V: everything up to j−1 predicted non-member
            if (correct > best) { best = correct; bestT = j < all.Length ? (all[j - 1].V + all[j].V) / 2 : double.PositiveInfinity; }
            i = j;
        }
        return bestT;
    }

    /// <summary>MIS: share of <paramref name="forgetPhi"/> predicted non-member by the threshold fitted on members vs test.</summary>
    public static double Mis(IReadOnlyList<double> memberPhi, IReadOnlyList<double> testPhi, IReadOnlyList<double> forgetPhi)
    {
        if (forgetPhi.Count == 0) throw new ArgumentException("MIS needs a non-empty forget set");
        double t = FitThreshold(memberPhi, testPhi);
        return forgetPhi.Count(v => v < t) / (double)forgetPhi.Count;
    }
}
