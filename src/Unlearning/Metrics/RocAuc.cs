namespace Unlearning.Metrics;

/// <summary>
/// Area under the ROC curve as the Mann–Whitney statistic with mid-ranks: P(score of a positive &gt; score of a negative)
/// + ½·P(tie). Ties get the average of the ranks they span, so a model whose scores saturate is judged at chance for the
/// tied pairs rather than by the order the sort happened to leave them in.
/// </summary>
public static class RocAuc
{
    /// <summary>AUC of <paramref name="positives"/> against <paramref name="negatives"/>, in [0, 1].</summary>
    public static double Compute(IReadOnlyList<double> positives, IReadOnlyList<double> negatives)
    {
        if (positives.Count == 0 || negatives.Count == 0)
            throw new ArgumentException($"ROC AUC needs both classes (got {positives.Count} positives, {negatives.Count} negatives)");
        int n = positives.Count + negatives.Count;
        var all = new (double Score, bool Positive)[n];
        for (int i = 0; i < positives.Count; i++) all[i] = (Check(positives[i]), true);
        for (int i = 0; i < negatives.Count; i++) all[positives.Count + i] = (Check(negatives[i]), false);
        Array.Sort(all, (a, b) => a.Score.CompareTo(b.Score));
        double positiveRankSum = 0;
        for (int i = 0; i < n;)
        {
            int j = i;
            while (j + 1 < n && all[j + 1].Score == all[i].Score) j++;
            double midRank = (i + j) / 2.0 + 1; // ranks are 1-based
            for (int k = i; k <= j; k++) if (all[k].Positive) positiveRankSum += midRank;
            i = j + 1;
        }
        double p = positives.Count, q = negatives.Count;
        return (positiveRankSum - p * (p + 1) / 2) / (p * q);
    }

    private static double Check(double score) =>
        double.IsNaN(score) ? throw new ArgumentException("a score is NaN: the ROC AUC of NaN scores is undefined") : score;
}
