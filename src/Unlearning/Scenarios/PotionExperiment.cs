using Unlearning.Metrics;
using Unlearning.Unlearning;

namespace Unlearning.Scenarios;

/// <summary>One method's outcome on one S_f (a cell of Potion Table 1 before averaging).</summary>
public sealed record PotionRow(string Method, int IdentifiedCount, double Healed, double Damage, PoisonEvaluation Evaluation, double Seconds, IReadOnlyDictionary<string, double> Diagnostics);

/// <summary>
/// Runs unlearners on a poisoned model given the identified poison S_f (Potion §4.1): the forget set is S_f with the
/// trigger on and label 0; the retain set is the rest of the training set, which still holds the unidentified poison
/// (so EU retrains on poisoned data, as in Goel et al.). Scores each result as poison healed and model damage.
/// </summary>
public static class PotionExperiment
{
    /// <summary>Runs each of <paramref name="methods"/> on a fresh copy of the poisoned model.</summary>
    public static IReadOnlyList<PotionRow> Run(ScenarioRunner runner, PoisonedBase b, int[] identified, IEnumerable<IUnlearner> methods)
    {
        var request = Request(runner, b, identified);
        var evaluator = runner.Evaluator(b.Scenario.Base);
        var rows = new List<PotionRow>();
        foreach (var method in methods)
        {
            var result = method.Unlearn(request);
            using var model = result.Model;
            var e = PoisonMetrics.Evaluate(model, b.Data, b.Split.Test, b.Plan, evaluator);
            rows.Add(new PotionRow(method.Name, identified.Length, PoisonMetrics.Healed(e, b.CleanEval), PoisonMetrics.Damage(e, b.PoisonedEval), e, result.Seconds, result.Diagnostics));
        }
        return rows;
    }

    /// <summary>The unlearning request of a poisoned base given S_f: forget = S_f (trigger on, label 0), retain = S_tr ∖ S_f (poison still in it).</summary>
    public static UnlearningRequest Request(ScenarioRunner runner, PoisonedBase b, int[] identified)
    {
        var sf = new HashSet<int>(identified);
        return new UnlearningRequest(b.Poisoned, () => runner.CreateModel(b.Scenario.Base, b.Data), b.Data,
            b.Split.Train.Where(i => !sf.Contains(i)).ToArray(), identified, b.Scenario.Base.Training, b.Scenario.Base.Seed,
            b.Plan.TrainingTransform(), b.Plan.ForgetTransform(), runner.Device).Validate();
    }

    /// <summary>
    /// EU (Goel et al.): retrain from scratch on S_tr ∖ S_f, the unidentified poison still in it, with the original
    /// configuration and seed; cached by index set, so after full discovery it is the clean model itself.
    /// </summary>
    public static PotionRow ExactUnlearning(ScenarioRunner runner, PoisonedBase b, int[] identified)
    {
        var retain = Request(runner, b, identified).Retain;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (model, fromCache, report) = runner.TrainModel(b.Scenario.Base, b.Scenario.TrainingKey(retain, b.Plan), b.Data, retain, b.Plan.TrainingTransform());
        using (model)
        {
            var e = PoisonMetrics.Evaluate(model, b.Data, b.Split.Test, b.Plan, runner.Evaluator(b.Scenario.Base));
            return new PotionRow("EU", identified.Length, PoisonMetrics.Healed(e, b.CleanEval), PoisonMetrics.Damage(e, b.PoisonedEval), e,
                fromCache ? report.Seconds : clock.Elapsed.TotalSeconds, new Dictionary<string, double> { ["from_cache"] = fromCache ? 1 : 0 });
        }
    }

    /// <summary>The four SSD-family methods of Table 1 with the paper's parameters, importances at the scenario's batch size.</summary>
    public static IUnlearner[] SsdFamily(PoisonedBase b) =>
    [
        new PtnUnlearner(ImportanceKind.ExponentLossFree, new PtnOptions(), b.Scenario.ImportanceBatchSize),
        new PtnUnlearner(ImportanceKind.LossFree, new PtnOptions(), b.Scenario.ImportanceBatchSize),
        new PtnUnlearner(ImportanceKind.Ssd, new PtnOptions(), b.Scenario.ImportanceBatchSize),
        new GoelGridSsd(b.Split.Spare, b.Scenario.ImportanceBatchSize),
    ];
}

/// <summary>
/// One point of Potion Fig. 6: dampening at α, accuracy on S_f (trigger on, target label) and on clean test data, with the
/// per-image outcomes on the clean test set (for a comparison paired with the poisoned model's).
/// </summary>
public sealed record AlphaPoint(double Percentile, double Alpha, long Dampened, double ForgetAccuracy, double CleanAccuracy, bool[] CleanCorrect);

/// <summary>Potion Fig. 6: the "unlearning versus model protection" curve along α, importances computed once.</summary>
public static class AlphaSweep
{
    /// <summary>
    /// Dampens fresh copies of the poisoned model at α = the given percentiles of I_f / I_D (descending percentiles =
    /// decreasing α = more aggressive) and measures S_f and clean-test accuracy at each.
    /// </summary>
    public static IReadOnlyList<AlphaPoint> Run(ScenarioRunner runner, PoisonedBase b, int[] identified, ImportanceKind kind, double[] percentiles, double lambda = 1.0)
    {
        var (iD, iF) = ImportanceEstimator.ForRequest(PotionExperiment.Request(runner, b, identified), kind, b.Scenario.ImportanceBatchSize);
        using var _d = iD;
        using var _f = iF;
        var ratios = PtnSearch.SortedRatios(iD, iF);
        var evaluator = runner.Evaluator(b.Scenario.Base);
        using var scratch = ModelCopy.Clone(b.Poisoned, () => runner.CreateModel(b.Scenario.Base, b.Data));
        var points = new List<AlphaPoint>();
        foreach (double p in percentiles)
        {
            double alpha = PtnSearch.Percentile(ratios, p);
            ModelCopy.CopyInto(b.Poisoned, scratch);
            long n = SsdDampening.Apply(scratch, iD, iF, alpha, lambda);
            var clean = evaluator.Evaluate(scratch, b.Data, b.Split.Test);
            points.Add(new AlphaPoint(p, alpha, n, evaluator.Accuracy(scratch, b.Data, identified, b.Plan.ForgetTransform()), clean.Accuracy, clean.Correct));
        }
        return points;
    }
}
