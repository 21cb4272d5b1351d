using Unlearning.Data;
using Unlearning.Healing;
using Unlearning.Scenarios;
using static Unlearning.Claims.HealingFixture;

namespace Unlearning.Claims;

/// <summary>
/// Healing Fig. 1: after random deletions of 5–30%, Gold (retraining) stays flat (H.F1.gold-flat) while SISA declines
/// (H.F1.sisa-declines), each judged on the one run Fig. 1 draws and on the means over Fig. 2's independent runs.
/// </summary>
public sealed class HealingFigure1(HealingFixture f) : IClaimGroup
{
    private const string OneRun = "MNIST, random 5–30%";

    /// <summary>The variant of Fig. 1's trend claims judged on the means over Fig. 2's independent runs.</summary>
    public const string OverRuns = "MNIST, random 5–30%, mean over runs";

    /// <summary>δ of H.F1.gold-flat (catalog: a stated choice, the drop the paper calls marginal in Table 1).</summary>
    public static double GoldFlatDelta => ClaimCatalog.Get("H.F1.gold-flat").Delta("equivalence");

    /// <inheritdoc />
    public IEnumerable<ClaimVariant> Variants =>
    [
        new("H.F1.gold-flat", OneRun, () => GoldFlat(f.Datasets.Mnist)),
        new("H.F1.sisa-declines", OneRun, () => SisaDeclines(f.Datasets.Mnist)),
        new("H.F1.gold-flat", OverRuns, () => GoldFlatOverRuns(f.Datasets.Mnist)),
        new("H.F1.sisa-declines", OverRuns, () => SisaDeclinesOverRuns(f.Datasets.Mnist)),
    ];

    private static FigureData[] DeletionFigures(IReadOnlyList<DeletionPoint> points, TrainedBase b)
    {
        var x = points.Select(p => 100 * p.Fraction).ToArray();
        return
        [
            new("healing-fig1-accuracy.png", $"Healing Fig. 1 (ci, {b.Data.Name}): test accuracy after random deletion", "deleted share of the training set (%)", "test accuracy (%)",
            [
                new Reporting.Series("Gold (retrain)", x, points.Select(p => 100 * p.GoldAccuracy).ToArray()),
                new Reporting.Series("SISA (3 shards × 5 slices)", x, points.Select(p => 100 * p.SisaAccuracy).ToArray()),
            ]),
            new("healing-fig1-time.png", $"Healing Fig. 1 (ci, {b.Data.Name}): unlearning time", "deleted share of the training set (%)", "seconds",
            [
                new Reporting.Series("Gold (retrain)", x, points.Select(p => p.GoldSeconds).ToArray()),
                new Reporting.Series("SISA (affected shards from their first affected slice)", x, points.Select(p => p.Sisa.Seconds).ToArray()),
            ]),
        ];
    }

    private static Dictionary<string, Measured> DeletionValues(IReadOnlyList<DeletionPoint> points, bool gold) =>
        points.ToDictionary(p => $"{(gold ? "gold" : "sisa")}_accuracy@{100 * p.Fraction:0}%", p => Measured.Share(gold ? p.GoldAccuracy : p.SisaAccuracy, p.GoldCorrect.Length));

    /// <summary>Gold's accuracy stays at the base model's as 5–30% is deleted (equivalence within the catalog's δ, paired per test sample).</summary>
    private Finding GoldFlat(DatasetId dataset)
    {
        var b = f.Base(dataset);
        var points = f.Deletions(dataset);
        var o = new OrderChecks();
        foreach (var p in points)
            o.Close($"Gold accuracy after deleting {p.Fraction:P0}", 100 * p.GoldAccuracy, "the base model's", 100 * b.TestAccuracy, Difference.Paired(p.GoldCorrect, f.BaseCorrect(b)), GoldFlatDelta);
        return Finding.Of(o, DeletionValues(points, gold: true), "", DeletionFigures(points, b));
    }

    /// <summary>SISA's accuracy declines as the deleted share grows (on one run: after 5% above after 30%, paired per test sample).</summary>
    private Finding SisaDeclines(DatasetId dataset)
    {
        var b = f.Base(dataset);
        var points = f.Deletions(dataset);
        var o = new OrderChecks();
        o.Above($"SISA accuracy after {points[0].Fraction:P0}", 100 * points[0].SisaAccuracy, $"after {points[^1].Fraction:P0}", 100 * points[^1].SisaAccuracy,
            Difference.Paired(points[0].SisaCorrect, points[^1].SisaCorrect));
        return Finding.Of(o, DeletionValues(points, gold: false), "", DeletionFigures(points, b));
    }

    private Dictionary<string, Measured> MeanValues(double[][] perShare, string name) =>
        perShare.Select((xs, i) => (xs, i)).ToDictionary(p => $"{name}_accuracy_mean@{ShareName(p.i)}", p => Measured.MeanOf(p.xs.Select(x => x / 100).ToArray(), floor: f.MeanFloor(p.xs.Average() / 100, p.xs.Length)));

    /// <summary>
    /// "Gold stays flat", judged on the means over Fig. 2's runs: Gold's mean accuracy after deleting 10, 20 and 30% ≈
    /// after 5% within <see cref="GoldFlatDelta"/>, by two one-sided paired t-tests over the runs.
    /// </summary>
    private Finding GoldFlatOverRuns(DatasetId dataset)
    {
        var gold = f.PerShare(dataset, p => 100 * p.GoldAccuracy);
        var o = new OrderChecks();
        for (int i = 1; i < gold.Length; i++)
            o.Close($"Gold mean accuracy after deleting {ShareName(i)}", gold[i].Average(), $"after {ShareName(0)}", gold[0].Average(), Difference.PairedRuns(gold[i], gold[0]), GoldFlatDelta);
        return Finding.Of(o, MeanValues(gold, "gold"), $"means over {gold[0].Length} independent runs");
    }

    /// <summary>
    /// "SISA declines", judged on Fig. 2's runs: the least-squares slope of accuracy on the deleted share per run is
    /// negative (t across the runs), and the mean after 5% is above the mean after 30% (paired t over the runs).
    /// </summary>
    private Finding SisaDeclinesOverRuns(DatasetId dataset)
    {
        var sisa = f.PerShare(dataset, p => 100 * p.SisaAccuracy);
        var o = new OrderChecks();
        int runs = sisa[0].Length;
        // The trend per run: the least-squares slope of accuracy (pp) on the deleted share (per 10 pp deleted), then its interval across runs.
        var slopes = Enumerable.Range(0, runs).Select(r => -10 * Slope(DeletedShares.Select(x => 100 * x).ToArray(), sisa.Select(xs => xs[r]).ToArray())).ToArray();
        o.Above("SISA's decline per 10 pp deleted (minus the slope per run)", slopes.Average(), "no decline", 0, Difference.RunsAgainst(slopes, 0));
        o.Above($"SISA mean accuracy after {ShareName(0)}", sisa[0].Average(), $"after {ShareName(sisa.Length - 1)}", sisa[^1].Average(), Difference.PairedRuns(sisa[0], sisa[^1]));
        return Finding.Of(o, MeanValues(sisa, "sisa"), $"means over {runs} independent runs");
    }

    /// <summary>The least-squares slope of <paramref name="y"/> on <paramref name="x"/>.</summary>
    private static double Slope(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average();
        return x.Zip(y, (a, b) => (a - mx) * (b - my)).Sum() / x.Sum(a => (a - mx) * (a - mx));
    }
}
