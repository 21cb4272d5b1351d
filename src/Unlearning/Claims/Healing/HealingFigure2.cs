using Unlearning.Data;
using Unlearning.Healing;
using static Unlearning.Claims.HealingFixture;

namespace Unlearning.Claims;

/// <summary>
/// Healing Fig. 2 (H.F2.runs): Fig. 1 repeated over independent runs — Gold's and SISA's test accuracy and unlearning time
/// per deleted share as mean ± sample standard deviation. A value claim: the paper gives the figure, not numbers, so the
/// means and deviations are pinned and drawn with error bars.
/// </summary>
public sealed class HealingFigure2(HealingFixture f) : IClaimGroup
{
    /// <inheritdoc />
    public IEnumerable<ClaimVariant> Variants => [new("H.F2.runs", "MNIST, independent runs, random 5–30%", () => Runs(f.Datasets.Mnist))];

    private Finding Runs(DatasetId dataset)
    {
        var runs = f.DeletionRuns(dataset);
        List<(double Mean, double Std)> Stats(Func<DeletionPoint, double> pick) =>
            f.PerShare(dataset, pick).Select(xs => (xs.Average(), Metrics.SampleStatistics.Std(xs))).ToList();
        var gold = Stats(p => 100 * p.GoldAccuracy);
        var sisa = Stats(p => 100 * p.SisaAccuracy);
        var goldTime = Stats(p => p.GoldSeconds);
        var sisaTime = Stats(p => p.Sisa.Seconds);
        var values = new Dictionary<string, Measured>();
        for (int i = 0; i < DeletedShares.Length; i++)
        {
            int n = runs.Count;
            values[$"gold_accuracy_mean@{ShareName(i)}"] = new(gold[i].Mean / 100, Math.Max(Measured.Sigmas * gold[i].Std / 100 / Math.Sqrt(n), f.MeanFloor(gold[i].Mean / 100, n)));
            values[$"gold_accuracy_std@{ShareName(i)}"] = new(gold[i].Std / 100, Measured.Sigmas * gold[i].Std / 100 / Math.Sqrt(2.0 * (n - 1)));
            values[$"sisa_accuracy_mean@{ShareName(i)}"] = new(sisa[i].Mean / 100, Math.Max(Measured.Sigmas * sisa[i].Std / 100 / Math.Sqrt(n), f.MeanFloor(sisa[i].Mean / 100, n)));
            values[$"sisa_accuracy_std@{ShareName(i)}"] = new(sisa[i].Std / 100, Measured.Sigmas * sisa[i].Std / 100 / Math.Sqrt(2.0 * (n - 1)));
        }
        var x = DeletedShares.Select(s => 100 * s).ToArray();
        string name = f.Base(dataset).Data.Name;
        string label = $"{runs.Count} runs";
        string scale = f.Profile.Name;
        var figures = new FigureData[]
        {
            new("healing-fig2-accuracy.png", $"Healing Fig. 2 ({scale}, {name}, {label}): test accuracy, mean ± std",
                "deleted share of the training set (%)", "test accuracy (%)",
            [
                new Reporting.Series("Gold (retrain)", x, gold.Select(v => v.Mean).ToArray(), gold.Select(v => v.Std).ToArray()),
                new Reporting.Series("SISA (3 shards × 5 slices)", x, sisa.Select(v => v.Mean).ToArray(), sisa.Select(v => v.Std).ToArray()),
            ]),
            new("healing-fig2-time.png", $"Healing Fig. 2 ({scale}, {name}, {label}): unlearning time, mean ± std",
                "deleted share of the training set (%)", "seconds",
            [
                new Reporting.Series("Gold (retrain)", x, goldTime.Select(v => v.Mean).ToArray(), goldTime.Select(v => v.Std).ToArray()),
                new Reporting.Series("SISA (affected shards from their first affected slice)", x, sisaTime.Select(v => v.Mean).ToArray(), sisaTime.Select(v => v.Std).ToArray()),
            ]),
        };
        static string F(double v) => v.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
        string perShare = string.Join("; ", DeletedShares.Select((_, i) =>
            $"{ShareName(i)}: Gold {F(gold[i].Mean)} ± {F(gold[i].Std)}, SISA {F(sisa[i].Mean)} ± {F(sisa[i].Std)}"));
        string note = $"{label} on {name} ({(runs.Count == 10 ? "as many as the paper's" : "the paper has 10")}); accuracy (%) {perShare}; " +
                      "times are measured (a cached Gold model reports its original training time), not pinned";
        return Finding.OfValues(values, note, figures);
    }
}
