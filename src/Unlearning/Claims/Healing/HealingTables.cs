using System.Globalization;
using Unlearning.Healing;
using Unlearning.Unlearning;

namespace Unlearning.Claims;

/// <summary>What Healing Tables 4–6 share: the two requests' variant names, the Table 4/5 cells, notes and figures.</summary>
internal static class HealingTables
{
    public const string ClassSeven = "MNIST, 25 of class 7";
    public const string WorstTwentyFive = "MNIST, worst 25 logits";

    public static string Variant(HealingRequest r) => r == HealingRequest.ClassTargeted ? ClassSeven : WorstTwentyFive;

    /// <summary>The transcription's column prefix of a start: "fs" (Fisher), "if" (Influence).</summary>
    public static string StartColumn(string start) => start == HealingExperiment.Fisher ? "fs" : "if";

    /// <summary>A Remain+Twins configuration (the RandomReplacement control is not one).</summary>
    public static bool IsTwin(string configuration) => configuration != HealingExperiment.RandomReplacement;

    public static string MethodSettings(HealingSetup s) =>
        $"Fisher σ {s.Fisher.Sigma:G3}, ε {s.Fisher.Epsilon:G3}, F on {s.Fisher.FisherSamples} retain samples, step clipped to norm {s.Fisher.MaxStepNorm?.ToString("G3") ?? "∞"}; " +
        $"Influence (LiSSA) depth {s.Influence.Depth}, scale {s.Influence.Scale:G}, damping {s.Influence.Damping:G3}, batch_r {s.Influence.BatchR}, batch_f {s.Influence.BatchF}, " +
        $"max-norm {s.Influence.MaxNorm:G}, step {(s.Influence.Step == InfluenceStep.Sum ? "H⁻¹Σ∇ℓ (as printed)" : "H⁻¹Σ∇ℓ/|D_r|")}";

    /// <summary>The Table 4/5 cells of a healing outcome, keyed as the transcription's columns, with the paper's MNIST numbers.</summary>
    public static Dictionary<string, Measured> Cells(HealingOutcome h)
    {
        var r = h.Setup.Request;
        int n = h.TestSize;
        Measured Acc(double a, double? paper) => Measured.Share(a, n, paper);
        var values = new Dictionary<string, Measured>
        {
            ["bl_acc"] = Acc(h.BaselineAccuracy, HealingPaper.Healing(r, "bl_acc")),
            ["gs_acc"] = Acc(h.GoldAccuracy, HealingPaper.Healing(r, "gs_acc")),
        };
        foreach (var s in h.Starts)
        {
            string k = StartColumn(s.Method);
            // The representative start is one run of a noisy method: it moves with the runs' spread, not the test set's.
            values[$"{k}_init_acc"] = new(s.RepresentativeAccuracy, Math.Max(Measured.Sigmas * s.Std, Acc(s.RepresentativeAccuracy, null).Tolerance), HealingPaper.Healing(r, $"{k}_init_acc"));
            for (int i = 0; i < h.Budgets.Length; i++)
            {
                int e = h.Budgets[i];
                string cell = $"heal_{k}_{(i == 0 ? "short" : "long")}";
                values[$"{cell}.best"] = Acc(h.Best(s.Method, e, IsTwin).Accuracy, HealingPaper.Healing(r, $"{cell}_best"));
                values[$"{cell}.worst"] = Acc(h.Worst(s.Method, e, IsTwin).Accuracy, HealingPaper.Healing(r, $"{cell}_worst"));
                if (h.From(s.Method, c => c == HealingExperiment.RandomReplacement).Any())
                    values[$"{cell}.random"] = Acc(h.From(s.Method, c => c == HealingExperiment.RandomReplacement).Single().AfterEpochs[e],
                        HealingPaper.Healing(r, $"{cell}_best", "random"));
            }
        }
        return values;
    }

    public static string Note(HealingOutcome h) =>
        $"{h.Forget.Length} requested; healing budgets {string.Join(" and ", h.Budgets)} epoch(s), Adam 1e-3; " +
        "best per cell (Remain+Twins and RemainOnly): " +
        string.Join("; ", h.Starts.SelectMany(s => h.Budgets.Select(e => $"{s.Method} {e} ep. {h.Best(s.Method, e, IsTwin).Configuration}"))) +
        "; twins: " + string.Join("; ", h.Twins.Select(t => $"{t.Configuration} {t.SameClass}/{t.Found} same class" +
                                                             (double.IsNaN(t.MeanDistance) ? "" : $", mean d {t.MeanDistance.ToString("0.###", CultureInfo.InvariantCulture)}"))) +
        "; " + MethodSettings(h.Setup);

    /// <summary>Tables 4–5 as figures: test accuracy per healing configuration at 0 (the start), 1 and ⌈N/2⌉ epochs, Gold as a reference.</summary>
    public static FigureData[] Figures(HealingOutcome h)
    {
        string tag = h.Setup.Request == HealingRequest.ClassTargeted ? "table4" : "table5";
        string what = h.Setup.Request == HealingRequest.ClassTargeted ? "25 of class 7" : "worst 25 logits";
        return h.Starts.Select(s =>
        {
            var x = new[] { 0.0 }.Concat(h.Budgets.Select(e => (double)e)).ToArray();
            var series = h.From(s.Method).Select(c => new Reporting.Series(c.Configuration == HealingExperiment.RemainOnly ? "RemainOnly" : "Remain+" + c.Configuration[2..], x,
                new[] { 100 * s.RepresentativeAccuracy }.Concat(h.Budgets.Select(e => 100 * c.AfterEpochs[e])).ToArray())).ToList();
            series.Add(new Reporting.Series("Gold (retrain)", [x[0], x[^1]], [100 * h.GoldAccuracy, 100 * h.GoldAccuracy]));
            // The paper's MNIST row: the start, the best healed after 1 and ⌈N/2⌉ epochs, and Gold.
            string k = StartColumn(s.Method);
            double?[] paper = [HealingPaper.Healing(h.Setup.Request, $"{k}_init_acc"), HealingPaper.Healing(h.Setup.Request, $"heal_{k}_short_best"), HealingPaper.Healing(h.Setup.Request, $"heal_{k}_long_best")];
            if (paper.All(p => p != null) && x.Length == 3)
                series.Add(new Reporting.Series($"best healed, paper (Table {(tag == "table4" ? 4 : 5)})", x, paper.Select(p => 100 * p!.Value).ToArray(), Paper: true));
            if (HealingPaper.Healing(h.Setup.Request, "gs_acc") is { } gold)
                series.Add(new Reporting.Series("Gold, paper", [x[0], x[^1]], [100 * gold, 100 * gold], Paper: true));
            return new FigureData($"healing-{tag}-{StartColumn(s.Method)}.png", $"Healing {(tag == "table4" ? "Table 4" : "Table 5")} (ci, MNIST, {what}): healing from {s.Method}",
                "healing epochs", "test accuracy (%)", series);
        }).ToArray();
    }
}
