using Unlearning.Metrics;
using Unlearning.Reporting;
using Unlearning.Scenarios;
using Unlearning.Training;

namespace Unlearning.Claims;

/// <summary>
/// The AMUN paper's trained state, shared by all its claims in one process: the experiment of the scale's
/// <see cref="ScaleProfile.Amun"/> scenario (original, reference and retrained models, adversarial sets, tuned rates, rows)
/// and its 1-Lipschitz twin, each built on first use; and what every MIA claim checks first, the scenario's validity: the
/// original model's FT AUC must exceed the retrained model's by at least <see cref="ValidityGap"/> points, or nothing
/// about membership can be judged there.
/// </summary>
public sealed class AmunFixture(ScenarioRunner runner, ScaleProfile profile, Action<string>? log = null) : IDisposable
{
    private readonly Lazy<AmunExperiment> _experiment = new(() => new AmunExperiment(runner, profile.Amun(), log));
    private readonly Lazy<AmunExperiment> _lipschitz = new(() => new AmunExperiment(runner, profile.AmunLipschitz(), log));

    /// <summary>FT AUC points by which the original model must exceed the retrained one for MIA claims to be testable.</summary>
    public const double ValidityGap = 5;

    /// <summary>The forget shares of Tables 1–2.</summary>
    public static readonly double[] Fractions = [0.1, 0.5];

    /// <summary>The scenario runner the fixture trains and evaluates with.</summary>
    public ScenarioRunner Runner => runner;

    /// <summary>The experiment (trained lazily, shared by every claim).</summary>
    public AmunExperiment Experiment => _experiment.Value;

    /// <summary>The experiment with 1-Lipschitz layers (Table 3).</summary>
    public AmunExperiment Lipschitz => _lipschitz.Value;

    /// <summary>
    /// δ of "FT AUC at the retrained model's" of a claim (A.T1.ft-auc, A.T3.lipschitz, A.Obs1; catalog: a stated choice, the
    /// scenario's own <see cref="ValidityGap"/> — an attacker whose advantage is below what a valid scenario must show at the
    /// least is taken as having none).
    /// </summary>
    public static double AucDelta(string claim) => ClaimCatalog.Get(claim).Delta("equivalence");

    /// <summary>The validity check every MIA claim carries: original FT AUC ≥ retrained FT AUC + <see cref="ValidityGap"/>; with the values it rests on.</summary>
    public (OrderChecks Checks, Dictionary<string, Measured> Values) Valid(double fraction)
    {
        var e = Experiment;
        var forget = e.ForgetSet(fraction, 0);
        var original = e.Evaluate(e.Original.Model, forget);
        var retrained = e.RetrainedEvaluation(forget);
        int test = e.Original.Split.Test.Length;
        var o = new OrderChecks().Valid($"original FT AUC ({e.Rmia.ReferenceModels} RMIA reference models)", original.Metrics.Mia,
            "retrained FT AUC", retrained.Metrics.Mia, AmunValues.FtAucDifference(e, [original.FtScores!], [retrained.FtScores!]), ValidityGap);
        return (o, new Dictionary<string, Measured>
        {
            ["original_ft_auc"] = AmunValues.Auc(e, original.Metrics.Mia, forget.Length),
            ["retrain_ft_auc"] = AmunValues.Auc(e, retrained.Metrics.Mia, forget.Length, AmunPaper.Cell(1, fraction, "Retrain", "ft_auc")),
            ["original_train_accuracy"] = Measured.Share(100 * e.Original.TrainAccuracy, e.Original.Split.Train.Length, scale: 100),
            ["original_test_accuracy"] = Measured.Share(100 * e.Original.TestAccuracy, test, scale: 100),
        });
    }

    /// <summary>
    /// A method's row. With <paramref name="control"/> ("None" or "Retrain") every AMUN row is replaced by that control's
    /// row: the untouched original model, or the retrained one, scored like a method (the same each run).
    /// </summary>
    public AmunRow Row(string method, double fraction, RetainAccess access, string? control = null) =>
        control != null && method.StartsWith("AMUN", StringComparison.Ordinal) ? ControlRow(control, method, fraction, access) : Experiment.Row(method, fraction, access);

    private AmunRow ControlRow(string control, string method, double fraction, RetainAccess access)
    {
        var e = Experiment;
        var forget = e.ForgetSet(fraction, 0);
        var retrained = e.RetrainedEvaluation(forget);
        var ev = control == "None" ? e.Evaluate(e.Original.Model, forget) : retrained;
        double gap = ev.Metrics.AvgGap(retrained.Metrics), mis = (ev.Metrics with { Mia = ev.Mis }).AvgGap(retrained.Metrics with { Mia = retrained.Mis });
        int runs = e.Scenario.Repeats;
        return new AmunRow(method, fraction, access, ev.Metrics, ev.Mis, gap, mis, 0, 0, new Dictionary<string, double> { ["runs"] = runs, ["avg_gap_std"] = 0, ["avg_gap_mis_std"] = 0 })
        { Gaps = Enumerable.Repeat(gap, runs).ToArray(), MisGaps = Enumerable.Repeat(mis, runs).ToArray(), FtScores = Enumerable.Repeat(ev.FtScores!, runs).ToArray() };
    }

    /// <summary>The original (not unlearned) model's Avg Gap to the retrained one: what a method that does nothing scores.</summary>
    public double OriginalGap(double fraction)
    {
        var e = Experiment;
        var forget = e.ForgetSet(fraction, 0);
        return e.Evaluate(e.Original.Model, forget).Metrics.AvgGap(e.RetrainedEvaluation(forget).Metrics);
    }

    /// <summary>The confidences φ of a model on D_R, D_F and D_T.</summary>
    public (double[] Retain, double[] Forget, double[] Test) Phis(Models.ImageClassifier model, int[] forget)
    {
        var e = Experiment;
        var evaluator = runner.Evaluator(e.Scenario.Base);
        var retain = e.Original.Split.Train.Except(forget).ToArray();
        return (evaluator.Evaluate(model, e.Original.Data, retain).Phi, evaluator.Evaluate(model, e.Original.Data, forget).Phi,
            evaluator.Evaluate(model, e.Original.Data, e.Original.Split.Test).Phi);
    }

    /// <summary>Histograms of φ on D_R, D_F and D_T (AMUN Figs. 3 and 5).</summary>
    public static FigureData ConfidenceFigure(string file, string title, (double[] Retain, double[] Forget, double[] Test) phi)
    {
        double lo = new[] { phi.Retain, phi.Forget, phi.Test }.SelectMany(v => v).Min(), hi = new[] { phi.Retain, phi.Forget, phi.Test }.SelectMany(v => v).Max();
        const int bins = 30;
        double width = (hi - lo) / bins;
        Series Density(string name, double[] v)
        {
            var counts = new double[bins];
            foreach (double x in v) counts[Math.Clamp((int)((x - lo) / Math.Max(width, 1e-12)), 0, bins - 1)]++;
            return new Series(name, Enumerable.Range(0, bins).Select(i => lo + (i + 0.5) * width).ToArray(), counts.Select(c => 100 * c / v.Length).ToArray());
        }
        return new FigureData(file, title, "φ = log(p / (1 − p))", "share of the set (%)",
            [Density("D_R (retain)", phi.Retain), Density("D_F (forget)", phi.Forget), Density("D_T (test)", phi.Test)]);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_experiment.IsValueCreated) _experiment.Value.Dispose();
        if (_lipschitz.IsValueCreated) _lipschitz.Value.Dispose();
    }
}
