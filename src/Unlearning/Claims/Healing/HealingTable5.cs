using Unlearning.Healing;
using static Unlearning.Claims.HealingTables;

namespace Unlearning.Claims;

/// <summary>
/// Healing Table 5 (the worst 25 logits requested): the parameter-aware request leaves the model worse off than 25 of
/// class 7 (H.T5.worst25, with Table 6), and Remain+Twins heals at least as well as Remain+Random-25
/// (H.T5.twins-vs-random).
/// </summary>
public sealed class HealingTable5(HealingFixture f) : IClaimGroup
{
    private static string WorstVsSeven(string method) => $"MNIST {(method == HealingExperiment.Fisher ? "Fisher" : "Influence")}, worst 25 logits vs 25 of class 7";

    /// <inheritdoc />
    public IEnumerable<ClaimVariant> Variants =>
    [
        new("H.T5.worst25", WorstVsSeven(HealingExperiment.Fisher), () => WorstStartsLower(HealingExperiment.Fisher)),
        new("H.T5.worst25", WorstVsSeven(HealingExperiment.Influence), () => WorstStartsLower(HealingExperiment.Influence)),
        new("H.T5.twins-vs-random", WorstTwentyFive, TwinsVersusRandom),
    ];

    /// <summary>
    /// Table 6 and Table 5 vs Table 4: the worst-25-logits request leaves the model worse off than 25 random images of one
    /// class — the mean test accuracy over the runs of the method is lower.
    /// </summary>
    private Finding WorstStartsLower(string method)
    {
        var targeted = f.Healing(HealingRequest.ClassTargeted);
        var worst = f.Healing(HealingRequest.WorstLogits);
        var o = new OrderChecks();
        var a = targeted.Start(method);
        var w = worst.Start(method);
        o.Above($"{method} mean accuracy over {a.Accuracies.Length} runs, 25 of class 7", 100 * a.Mean, "worst 25 logits", 100 * w.Mean,
            Difference.Welch(a.Accuracies.Select(x => 100 * x).ToArray(), w.Accuracies.Select(x => 100 * x).ToArray(), "the one base model"));
        var values = new Dictionary<string, Measured>
        {
            ["class7.mean"] = Measured.MeanOf(a.Accuracies, HealingPaper.MeanStd("MNIST", method, "mean"), f.HealingFloor(a.Mean, a.Accuracies.Length)),
            ["worst25.mean"] = Measured.MeanOf(w.Accuracies, HealingPaper.MeanStd("MNIST (worst 25 logits)", method, "mean"), f.HealingFloor(w.Mean, w.Accuracies.Length)),
        };
        return Finding.Of(o, values, $"runs per method: {targeted.Setup.Runs}; {MethodSettings(targeted.Setup)}");
    }

    /// <summary>
    /// From the worst-25 starts, the best Remain+Twins configuration heals at least as well as Remain+Random-25 in most cells
    /// (≥ 3 of the 4: FS/IF × 1/⌈N/2⌉ epochs).
    /// </summary>
    private Finding TwinsVersusRandom()
    {
        var h = f.Healing(HealingRequest.WorstLogits);
        var cells = new List<Check>();
        foreach (var start in new[] { HealingExperiment.Fisher, HealingExperiment.Influence })
            foreach (int epochs in h.Budgets)
            {
                bool isTwin(string c) => c.StartsWith("T-", StringComparison.Ordinal) && c != HealingExperiment.RandomReplacement;
                var (config, twins) = h.Best(start, epochs, isTwin);
                int k = h.From(start, isTwin).Count();
                var randomRun = h.From(start, c => c == HealingExperiment.RandomReplacement).Single();
                double random = randomRun.AfterEpochs[epochs];
                cells.Add(OrderChecks.Judge(CheckKind.NonInferiority, $"{start}, {epochs} epoch(s): best Remain+Twins ({config}, best of {k}) {100 * twins:0.00} ≥ Remain+Random-25 {100 * random:0.00}",
                    Difference.Paired(h.BestCorrect(start, epochs, isTwin), randomRun.CorrectAfter[epochs]).BestOf(k), 0));
            }
        var o = new OrderChecks().Most("Remain+Twins at least as good as Remain+Random-25", cells, 3);
        return Finding.Of(o, Cells(h), Note(h), Figures(h));
    }
}
