namespace Unlearning.Scenarios;

/// <summary>
/// A learning-rate search (AMUN §6, App. D: every method's rate is searched over a log range and chosen by Avg Gap):
/// every rate of <see cref="Coarse"/>, then the best of them divided and multiplied by <see cref="Refine"/> where that stays
/// inside the coarse range. The rate with the lowest score of all those tried wins; ties keep the one tried first.
/// </summary>
/// <param name="Coarse">The coarse grid, tried in order.</param>
/// <param name="Refine">The refinement factor around the coarse best (≤ 1: no refinement).</param>
public sealed record RateSearch(double[] Coarse, double Refine = 0)
{
    /// <summary>
    /// The rate with the lowest finite <paramref name="score"/> (null: the run diverged), or NaN when every candidate
    /// diverged; <paramref name="score"/> is called once per candidate, the refinements after the coarse grid.
    /// </summary>
    public double Best(Func<double, double?> score)
    {
        if (Coarse.Length == 0) throw new InvalidOperationException("a learning-rate search needs at least one coarse rate");
        double best = double.NaN, bestScore = double.PositiveInfinity;
        var tried = new List<double>();
        void Try(double lr)
        {
            if (tried.Any(t => Math.Abs(t - lr) <= 1e-9 * lr)) return;
            tried.Add(lr);
            if (score(lr) is { } s && !double.IsNaN(s) && s < bestScore) (best, bestScore) = (lr, s);
        }
        foreach (double lr in Coarse) Try(lr);
        if (Refine > 1 && !double.IsNaN(best))
        {
            double lo = Coarse.Min(), hi = Coarse.Max(), centre = best;
            foreach (double lr in new[] { centre / Refine, centre * Refine })
                if (lr >= lo * (1 - 1e-9) && lr <= hi * (1 + 1e-9)) Try(lr);
        }
        return best;
    }
}
