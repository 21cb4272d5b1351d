using Unlearning.Metrics;
using Unlearning.Reporting;
using Unlearning.Scenarios;
using Unlearning.Training;
using Unlearning.Unlearning;

namespace Unlearning.Claims;

/// <summary>
/// The AMUN claims: at ci scale on <see cref="AmunScenario.Ci"/> (embedded Fashion-MNIST standing in for CIFAR-10, SmallCnn
/// for ResNet-18, 8 RMIA reference models for 128), at paper scale on <see cref="AmunScenario.Paper"/>. Every MIA-based claim first checks the scenario's validity: the original
/// model's FT AUC must exceed the retrained model's by at least <see cref="ValidityGap"/> points, or nothing about
/// membership can be judged there.
/// </summary>
public sealed class AmunSuite(ScenarioRunner runner, Scale scale, Action<string>? log = null) : IClaimSuite, IDisposable
{
    private readonly Lazy<AmunExperiment> _experiment = new(() =>
        new AmunExperiment(runner, scale == Scale.Paper ? AmunScenario.Paper() : AmunScenario.Ci(), log));

    private readonly Lazy<AmunExperiment> _lipschitz = new(() =>
        new AmunExperiment(runner, scale == Scale.Paper ? AmunScenario.PaperLipschitz() : AmunScenario.CiLipschitz(), log));

    /// <summary>FT AUC points by which the original model must exceed the retrained one for MIA claims to be testable.</summary>
    public const double ValidityGap = 5;

    /// <summary>
    /// δ of "FT AUC at the retrained model's" of a claim (A.T1.ft-auc, A.T3.lipschitz, A.Obs1; catalog: a stated choice, the
    /// scenario's own <see cref="ValidityGap"/> — an attacker whose advantage is below what a valid scenario must show at the
    /// least is taken as having none).
    /// </summary>
    private static double AucDelta(string claim) => ClaimCatalog.Get(claim).Delta("equivalence");

    /// <summary>The forget shares of Tables 1–2.</summary>
    public static readonly double[] Fractions = [0.1, 0.5];

    /// <inheritdoc />
    public string Paper => "AMUN";

    /// <summary>The experiment (trained lazily, shared by every claim).</summary>
    public AmunExperiment Experiment => _experiment.Value;

    /// <inheritdoc />
    public IReadOnlyList<ClaimVariant> Variants =>
    [
        new("A.Obs1", "retrained model, forget 10%", () => Observation1(0.1)),
        .. from f in Fractions
           select new ClaimVariant("A.T1.avg-gap", Variant(RetainAccess.WithRetain, f), () => LowestGap("A.T1.avg-gap", f, RetainAccess.WithRetain),
               Control.None(c => LowestGap("A.T1.avg-gap", f, RetainAccess.WithRetain, c))),
        .. from f in Fractions
           select new ClaimVariant("A.T1.ft-auc", Variant(RetainAccess.WithRetain, f), () => FtAuc(f),
               [.. Control.None(c => FtAuc(f, c)), new Control("Retrain", Negative: false, () => FtAuc(f, "Retrain"))]),
        .. from f in Fractions
           select new ClaimVariant("A.T2.avg-gap", Variant(RetainAccess.ForgetOnly, f), () => LowestGap("A.T2.avg-gap", f, RetainAccess.ForgetOnly),
               Control.None(c => LowestGap("A.T2.avg-gap", f, RetainAccess.ForgetOnly, c))),
        .. from a in new[] { RetainAccess.WithRetain, RetainAccess.ForgetOnly }
           select new ClaimVariant("A.T10-11.mis", Variant(a, 0.1), () => LowestMisGap(0.1, a), Control.None(c => LowestMisGap(0.1, a, c))),
        new("A.F1.adv-keeps-acc", "forget 10%", () => Substitutes(0.1)),
        new("A.T8.transfer", "with D_R, forget 10%", () => Variation("A.T8.transfer", AmunExperiment.TransferredAmun, 8, 0.1, RetainAccess.WithRetain)),
        new("A.T8.transfer", "D_F only, forget 10%", () => Variation("A.T8.transfer", AmunExperiment.TransferredAmun, 8, 0.1, RetainAccess.ForgetOnly)),
        new("A.T9.fgsm", "with D_R, forget 10%", () => Variation("A.T9.fgsm", AmunExperiment.FastGradientAmun, 9, 0.1, RetainAccess.WithRetain)),
        new("A.T9.fgsm", "D_F only, forget 10%", () => Variation("A.T9.fgsm", AmunExperiment.FastGradientAmun, 9, 0.1, RetainAccess.ForgetOnly)),
        new("A.F2.continuous", "with D_R, 5 × 2%", () => Continuous(RetainAccess.WithRetain)),
        new("A.F2.continuous", "D_F only, 5 × 2%", () => Continuous(RetainAccess.ForgetOnly)),
        new("A.F5.conf-shift", "with D_R, forget 10%", () => ConfidenceShift(0.1)),
        new("A.E1.cost", "forget 10% and 50%", Cost),
        new("A.T3.lipschitz", "1-Lipschitz layers, D_F only, forget 10%", () => Lipschitz(0.1)),
        new("A.T3.lipschitz", "1-Lipschitz layers, D_F only, forget 50%", () => Lipschitz(0.5)),
    ];

    /// <summary>
    /// AMUN Table 3 (§6.2.2): on a model whose layers are 1-Lipschitz (<see cref="Models.LipschitzCnn"/> at ci scale,
    /// a clipped <see cref="Models.ResNet18"/> at paper scale, each trained like its scale's original), AMUN without D_R leaves RMIA's FT AUC where the retrained model's is — within two standard errors of a
    /// balanced AUC on |D_F| + |D_F| samples, on either side. The robust scenario must still leak membership (original FT AUC
    /// ≥ retrained + <see cref="ValidityGap"/>) for this to mean anything.
    /// </summary>
    private ClaimOutcome Lipschitz(double fraction)
    {
        var e = _lipschitz.Value;
        var forget = e.ForgetSet(fraction, 0);
        var original = e.Evaluate(e.Original.Model, forget);
        var retrained = e.RetrainedEvaluation(forget);
        var row = e.Row("AMUN", fraction, RetainAccess.ForgetOnly);
        int test = e.Original.Split.Test.Length;
        var o = new OrderChecks()
            .Valid($"original FT AUC ({e.Rmia.ReferenceModels} RMIA reference models)", original.Metrics.Mia, "retrained FT AUC", retrained.Metrics.Mia,
                Difference.Aucs(original.Metrics.Mia, forget.Length, test, retrained.Metrics.Mia, forget.Length, test), ValidityGap)
            .Close("AMUN FT AUC", row.Metrics.Mia, "the retrained model's", retrained.Metrics.Mia,
                Difference.Aucs(row.Metrics.Mia, forget.Length, test, retrained.Metrics.Mia, forget.Length, test), AucDelta("A.T3.lipschitz"));
        var values = new Dictionary<string, Measured>
        {
            ["original_ft_auc"] = Auc(e, original.Metrics.Mia, forget.Length),
            ["original_train_accuracy"] = Measured.Share(100 * e.Original.TrainAccuracy, e.Original.Split.Train.Length, scale: 100),
            ["original_test_accuracy"] = Measured.Share(100 * e.Original.TestAccuracy, test, scale: 100),
            ["retrain_ft_auc"] = Auc(e, retrained.Metrics.Mia, forget.Length, PaperCell(3, fraction, "Retrain", "ft_auc")),
            ["retrain_test_acc"] = Measured.Share(retrained.Metrics.TestAccuracy, test, PaperCell(3, fraction, "Retrain", "test_acc"), 100),
            ["AMUN.ft_auc"] = Auc(e, row.Metrics.Mia, forget.Length, PaperCell(3, fraction, "AMUN", "ft_auc")),
            ["AMUN.test_acc"] = Measured.Share(row.Metrics.TestAccuracy, test, PaperCell(3, fraction, "AMUN", "test_acc"), 100),
            ["AMUN.avg_gap"] = Gap(e, row, forget.Length),
        };
        return new ClaimOutcome("A.T3.lipschitz", $"1-Lipschitz layers, D_F only, forget {Pct(fraction)}", o.Checks, values,
            $"{e.Scenario.Base.Name}: {e.Original.Split.Train.Length} train / {e.Original.Split.Test.Length} test; {Rates([row])}", 0, []);
    }

    /// <summary>The validity check every MIA claim carries: original FT AUC ≥ retrained FT AUC + <see cref="ValidityGap"/>.</summary>
    private (OrderChecks Checks, Dictionary<string, Measured> Values) Valid(double fraction)
    {
        var e = Experiment;
        var forget = e.ForgetSet(fraction, 0);
        var original = e.Evaluate(e.Original.Model, forget);
        var retrained = e.RetrainedEvaluation(forget);
        int test = e.Original.Split.Test.Length;
        var o = new OrderChecks().Valid($"original FT AUC ({e.Rmia.ReferenceModels} RMIA reference models)", original.Metrics.Mia,
            "retrained FT AUC", retrained.Metrics.Mia, Difference.Aucs(original.Metrics.Mia, forget.Length, test, retrained.Metrics.Mia, forget.Length, test), ValidityGap);
        return (o, new Dictionary<string, Measured>
        {
            ["original_ft_auc"] = Auc(e, original.Metrics.Mia, forget.Length),
            ["retrain_ft_auc"] = Auc(e, retrained.Metrics.Mia, forget.Length, PaperCell(1, fraction, "Retrain", "ft_auc")),
            ["original_train_accuracy"] = Measured.Share(100 * e.Original.TrainAccuracy, e.Original.Split.Train.Length, scale: 100),
            ["original_test_accuracy"] = Measured.Share(100 * e.Original.TestAccuracy, test, scale: 100),
        });
    }

    /// <summary>
    /// The difference of two rows' mean Avg Gaps, a − b, with its interval: run k of every method uses seed + k on the same
    /// base model, D_F, D_R and D_T, so the runs are paired (Student-t over the per-run differences, conditional on that one
    /// base model and forget draw). A diverged row scores +∞, exactly.
    /// </summary>
    private static Difference GapDifference(AmunRow a, AmunRow b, bool mis = false)
    {
        if (a.Diverged || b.Diverged) return Difference.Exact(mis ? a.MisAvgGap : a.AvgGap, mis ? b.MisAvgGap : b.AvgGap);
        return Difference.PairedRuns(mis ? a.MisGaps : a.Gaps, mis ? b.MisGaps : b.Gaps, Conditional);
    }

    private const string Conditional = "the one base model and forget draw";

    /// <summary>
    /// The rows of a claim's methods. With <paramref name="control"/> ("None" or "Retrain") every AMUN row is replaced by
    /// that control's row: the untouched original model, or the retrained one, scored like a method (the same each run).
    /// </summary>
    private AmunRow Row(string method, double fraction, RetainAccess access, string? control) =>
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
        { Gaps = Enumerable.Repeat(gap, runs).ToArray(), MisGaps = Enumerable.Repeat(mis, runs).ToArray() };
    }


    /// <summary>
    /// AMUN Tables 1–2: with D_R (or D_F only) AMUN's Avg Gap (RMIA FT AUC as the MIA) is the lowest of the baselines
    /// (each baseline's mean Avg Gap above AMUN's, paired over the runs: <see cref="GapDifference"/>); every cell is a value beside the paper's.
    /// </summary>
    private ClaimOutcome LowestGap(string claim, double fraction, RetainAccess access, string? control = null)
    {
        var (o, values) = Valid(fraction);
        var rows = AmunExperiment.Methods(access).ToDictionary(m => m, m => Row(m, fraction, access, control));
        int table = access == RetainAccess.WithRetain ? 1 : 2;
        var amuns = access == RetainAccess.WithRetain ? new[] { "AMUN" } : ["AMUN", "AMUN+SalUn"];
        double originalGap = OriginalGap(fraction);
        var forget = Experiment.ForgetSet(fraction, 0);
        var original = Experiment.Evaluate(Experiment.Original.Model, forget);
        values["original.avg_gap"] = Gap(Experiment, original.Metrics, original.Mis, forget.Length, originalGap, [], false, null);
        foreach (var a in amuns)
        {
            // A method that leaves the model as it was cannot win by noise: AMUN must move it toward the retrained one.
            o.Above($"original model's Avg Gap", originalGap, $"{a}'s", rows[a].AvgGap,
                rows[a].Diverged ? Difference.Exact(originalGap, rows[a].AvgGap) : Difference.RunsAgainst(rows[a].Gaps, originalGap, Conditional).Negated());
            foreach (var (m, row) in rows.Where(r => !r.Key.StartsWith("AMUN", StringComparison.Ordinal)))
                o.Above($"{m} Avg Gap", row.AvgGap, $"{a}'s", rows[a].AvgGap, GapDifference(row, rows[a]));
        }
        foreach (var (m, row) in rows) AddRow(Experiment, values, table, fraction, row);
        return new ClaimOutcome(claim, Variant(access, fraction), o.Checks, values, Rates(rows.Values), 0, []);
    }

    /// <summary>AMUN Tables 10–11: with MIS as the MIA, AMUN's Avg Gap is still the lowest.</summary>
    private ClaimOutcome LowestMisGap(double fraction, RetainAccess access, string? control = null)
    {
        var e = Experiment;
        var o = new OrderChecks();
        var values = new Dictionary<string, Measured>();
        var rows = AmunExperiment.Methods(access).ToDictionary(m => m, m => Row(m, fraction, access, control));
        foreach (var (m, row) in rows.Where(r => !r.Key.StartsWith("AMUN", StringComparison.Ordinal)))
            o.Above($"{m} Avg Gap (MIS)", row.MisAvgGap, "AMUN's", rows["AMUN"].MisAvgGap, GapDifference(row, rows["AMUN"], mis: true));
        int nf = e.ForgetSet(fraction, 0).Length;
        foreach (var (m, row) in rows.Where(r => !r.Value.Diverged))
        {
            values[$"{m}.mis"] = Measured.Share(row.Mis, nf, PaperCell(access == RetainAccess.WithRetain ? 10 : 11, fraction, m, "mis"), 100);
            values[$"{m}.avg_gap_mis"] = Gap(e, row, nf, mis: true, PaperCell(access == RetainAccess.WithRetain ? 10 : 11, fraction, m, "avg_gap"));
        }
        values["retrain.mis"] = Measured.Share(e.RetrainedEvaluation(e.ForgetSet(fraction, 0)).Mis, nf, PaperCell(access == RetainAccess.WithRetain ? 10 : 11, fraction, "Retrain", "mis"), 100);
        return new ClaimOutcome("A.T10-11.mis", Variant(access, fraction), o.Checks, values, Rates(rows.Values), 0, []);
    }

    /// <summary>AMUN Table 1's FT AUC of AMUN ≈ 50: within the noise of a balanced AUC on |D_F| samples of the retrained model's.</summary>
    private ClaimOutcome FtAuc(double fraction, string? control = null)
    {
        var (o, values) = Valid(fraction);
        var e = Experiment;
        var row = Row("AMUN", fraction, RetainAccess.WithRetain, control);
        var gold = e.RetrainedEvaluation(e.ForgetSet(fraction, 0)).Metrics.Mia;
        int forget = e.ForgetSet(fraction, 0).Length, test = e.Original.Split.Test.Length;
        o.Close($"{control ?? "AMUN"} FT AUC", row.Metrics.Mia, "the retrained model's", gold, Difference.Aucs(row.Metrics.Mia, forget, test, gold, forget, test), AucDelta("A.T1.ft-auc"));
        values["AMUN.ft_auc"] = Auc(e, row.Metrics.Mia, forget, PaperCell(1, fraction, "AMUN", "ft_auc"));
        return new ClaimOutcome("A.T1.ft-auc", Variant(RetainAccess.WithRetain, fraction), o.Checks, values, "", 0, []);
    }

    /// <summary>The original (not unlearned) model's Avg Gap to the retrained one: what a method that does nothing scores.</summary>
    private double OriginalGap(double fraction)
    {
        var e = Experiment;
        var forget = e.ForgetSet(fraction, 0);
        return e.Evaluate(e.Original.Model, forget).Metrics.AvgGap(e.RetrainedEvaluation(forget).Metrics);
    }

    /// <summary>
    /// AMUN Tables 8 and 9: AMUN with D_A from another source — a separately trained model (App. F.4) or the FFGSM-style
    /// attack (App. F.5) — is tuned separately and does worse than AMUN with its own PGD examples, yet (Table 8) still
    /// better than the best prior method; the weak attack's examples lie farther from x (Fig. 9).
    /// </summary>
    private ClaimOutcome Variation(string claim, string method, int table, double fraction, RetainAccess access)
    {
        var (o, values) = Valid(fraction);
        var e = Experiment;
        var forget = e.ForgetSet(fraction, 0);
        var self = e.Row("AMUN", fraction, access);
        var other = e.Row(method, fraction, access);
        o.Above($"{method} Avg Gap", other.AvgGap, "AMUN's", self.AvgGap, GapDifference(other, self));
        string selfName = table == 8 ? "AMUN (own adversarial examples)" : "AMUN with PGD-50";
        string otherName = table == 8 ? "AMUN (transferred from other models)" : "AMUN with FFGSM";
        if (table == 8)
        {
            // "Better than the best prior method" is "better than every prior method": one check per prior, no selection.
            var priors = AmunExperiment.Methods(access).Where(m => !m.StartsWith("AMUN", StringComparison.Ordinal)).Select(m => e.Row(m, fraction, access)).ToList();
            foreach (var prior in priors)
                o.Above($"{prior.Method} Avg Gap", prior.AvgGap, $"{method}'s", other.AvgGap, GapDifference(prior, other));
            values["best_prior.avg_gap"] = Gap(e, priors.MinBy(r => r.AvgGap)!, forget.Length);
        }
        else
        {
            var pgd = e.AdversarialSet(forget);
            var fgsm = e.FastGradientSet(forget);
            double Median(double[] v) => v.Order().ElementAt(v.Length / 2);
            o.Above("FFGSM-style median ‖x_adv − x‖₂", Median(fgsm.Distance), "PGD-50's", Median(pgd.Distance), Difference.BootstrapMedians(fgsm.Distance, pgd.Distance));
            values["pgd.median_distance"] = Measured.WithError(Median(pgd.Distance), Difference.BootstrapMedians(pgd.Distance, [0.0]).StdError);
            values["ffgsm.median_distance"] = Measured.WithError(Median(fgsm.Distance), Difference.BootstrapMedians(fgsm.Distance, [0.0]).StdError);
            values["ffgsm.no_adversarial_example"] = Count(fgsm.Failed.Length, forget.Length);
        }
        foreach (var (row, name) in new[] { (self, selfName), (other, otherName) })
        {
            string key = row == self ? "self" : "variant";
            values[$"{key}.test_acc"] = Measured.Share(row.Metrics.TestAccuracy, e.Original.Split.Test.Length, PaperCell(table, fraction, name, "test_acc", access), 100);
            values[$"{key}.ft_auc"] = Auc(e, row.Metrics.Mia, forget.Length, PaperCell(table, fraction, name, "ft_auc", access));
            values[$"{key}.avg_gap"] = Gap(e, row, forget.Length, paper: PaperCell(table, fraction, name, "avg_gap", access));
        }
        return new ClaimOutcome(claim, Variant(access, fraction), o.Checks, values,
            $"learning rates tuned on a separate forget draw: AMUN {self.LearningRate:G2}, {method} {other.LearningRate:G2}", 0, []);
    }

    /// <summary>
    /// AMUN Fig. 1 (§6.2.1): fine-tuning on D_A keeps the test accuracy better than on its substitutes D_AdvL, D_RL,
    /// D_ARL, D_ARS — most clearly when D_A (or the substitute) is all the model is tuned on. Test accuracy per epoch for
    /// D ∪ X, D_F ∪ X and X, with D_F itself ("Orig") as a reference.
    /// </summary>
    private ClaimOutcome Substitutes(double fraction)
    {
        var e = Experiment;
        var o = new OrderChecks();
        var values = new Dictionary<string, Measured>();
        var figures = new List<FigureData>();
        var substitutes = new[] { SubstituteSet.AdversarialLabel, SubstituteSet.RandomLabel, SubstituteSet.AdversarialRandomLabel, SubstituteSet.AdversarialRandomSphere };
        foreach (var setting in new[] { SubstituteSetting.WithD, SubstituteSetting.WithForget, SubstituteSetting.Alone })
        {
            var curves = Enum.GetValues<SubstituteSet>().ToDictionary(k => k, k => e.SubstituteCurve(k, setting, fraction));
            foreach (var (k, c) in curves) values[$"{setting}.{k}.final_test_acc"] = Measured.Share(c[^1], e.Original.Split.Test.Length, scale: 100);
            if (setting == SubstituteSetting.Alone)
                foreach (var k in substitutes)
                    o.Above($"test accuracy after tuning on D_A alone", curves[SubstituteSet.Adversarial][^1], $"on {Label(k)} alone", curves[k][^1],
                        Difference.PairedBound(curves[SubstituteSet.Adversarial][^1] / 100, curves[k][^1] / 100, e.Original.Split.Test.Length));
            string title = setting switch
            {
                SubstituteSetting.WithD => "D ∪ X",
                SubstituteSetting.WithForget => "D_F ∪ X",
                _ => "X alone",
            };
            figures.Add(new FigureData($"amun-fig1-{setting.ToString().ToLowerInvariant()}.png", $"AMUN Fig. 1 (ci): test accuracy while fine-tuning on {title}",
                "epoch", "test accuracy (%)",
                curves.Select(c => new Series(Label(c.Key), Enumerable.Range(0, c.Value.Length).Select(i => (double)i).ToArray(), c.Value)).ToArray()));
        }
        return new ClaimOutcome("A.F1.adv-keeps-acc", $"forget {Pct(fraction)}", o.Checks, values,
            $"rates: AMUN's tuned rates (with D_R for D ∪ X, D_F only otherwise), {e.Scenario.UnlearnEpochs} epochs", 0, figures);
    }

    /// <summary>
    /// AMUN Fig. 2 (§6.3): over 5 consecutive requests of 2% each, AMUN-A (D_A recomputed per request) ≥ AMUN (D_A
    /// computed once on the original model) ≥ every other method on FR AUC − FT AUC, compared on the mean over requests
    /// within the noise of an AUC difference on the final forget set. The per-request series are values and a figure.
    /// </summary>
    private ClaimOutcome Continuous(RetainAccess access)
    {
        var (o, values) = Valid(0.1);
        var e = Experiment;
        var methods = AmunExperiment.Methods(access).Where(m => m != "AMUN+SalUn").Append(AmunExperiment.AdaptiveAmun).ToArray();
        var runs = methods.Select(m => e.Continuous(m, access)).Where(r => r.Gap.Length > 0).ToDictionary(r => r.Method);
        int n = e.ForgetSet(0.1, 0).Length;
        double Mean(string m) => runs[m].Gap.Average();
        // Each method's gap is FR AUC − FT AUC; a difference of two gaps holds four AUCs, each with its null standard error on
        // the final forget set's n + n samples; no credit is taken for averaging the five requests (they share their samples).
        Difference GapDiff(string a, string b) => Difference.Independent(Mean(a), 2 * 100 * Difference.AucStdError(0.5, n, n), Mean(b), 0,
            $"four AUCs' Hanley–McNeil SE over {n} + {n} samples", n, "forget samples");
        o.Above("AMUN-A mean FR − FT AUC", Mean(AmunExperiment.AdaptiveAmun), "AMUN's", Mean("AMUN"), GapDiff(AmunExperiment.AdaptiveAmun, "AMUN"));
        foreach (var m in runs.Keys.Where(m => !m.StartsWith("AMUN", StringComparison.Ordinal)))
            o.Above("AMUN mean FR − FT AUC", Mean("AMUN"), $"{m}'s", Mean(m), GapDiff("AMUN", m));
        // A gap FR − FT is two AUCs; after request q the forget set so far holds q/5 of the final one.
        double GapError(int samples) => Math.Sqrt(2) * 100 * Difference.AucStdError(0.5, samples, samples);
        foreach (var (m, run) in runs)
        {
            values[$"{m}.mean_gap"] = Measured.WithError(Mean(m), GapError(n));
            for (int q = 0; q < run.Gap.Length; q++) values[$"{m}.gap@{q + 1}"] = Measured.WithError(run.Gap[q], GapError(Math.Max(1, n * (q + 1) / run.Gap.Length)));
        }
        string tag = access == RetainAccess.WithRetain ? "with-dr" : "df-only";
        return new ClaimOutcome("A.F2.continuous", $"{(access == RetainAccess.WithRetain ? "with D_R" : "D_F only")}, 5 × 2%", o.Checks, values,
            "rates as tuned for the 10% forget share (no new tuning, as in the paper); " + string.Join(", ", runs.Values.Select(r => $"{r.Method} {r.LearningRate:G2}")), 0,
            [new FigureData($"amun-fig2-{tag}.png", $"AMUN Fig. 2 (ci): consecutive requests, {(access == RetainAccess.WithRetain ? "with D_R" : "D_F only")}",
                "request", "FR AUC − FT AUC (%)",
                runs.Values.Select(r => new Series(r.Method, Enumerable.Range(1, r.Gap.Length).Select(i => (double)i).ToArray(), r.Gap)).ToArray())]);
    }

    private static string Label(SubstituteSet k) => k switch
    {
        SubstituteSet.Adversarial => "D_A (Adv)",
        SubstituteSet.Original => "D_F (Orig)",
        SubstituteSet.AdversarialLabel => "D_AdvL (Orig-AdvL)",
        SubstituteSet.RandomLabel => "D_RL (Orig-RL)",
        SubstituteSet.AdversarialRandomLabel => "D_ARL (Adv-RL)",
        _ => "D_ARS (Adv-RS)",
    };

    /// <summary>
    /// AMUN Observation 1 (Fig. 3): for the retrained model, D_F's confidences φ are distributed like D_T's (their AUC is
    /// equivalent to 50% within the catalog's δ) and unlike D_R's (D_R vs D_F AUC above 50%), each with its Hanley–McNeil interval.
    /// </summary>
    private ClaimOutcome Observation1(double fraction)
    {
        var e = Experiment;
        var forget = e.ForgetSet(fraction, 0);
        var phi = Phis(e.Retrained(forget), forget);
        double ft = 100 * RocAuc.Compute(phi.Forget, phi.Test), rf = 100 * RocAuc.Compute(phi.Retain, phi.Forget);
        var o = new OrderChecks()
            .Close("φ AUC D_F vs D_T", ft, "50", 50, Difference.AucAgainst(ft, phi.Forget.Length, phi.Test.Length, 50), AucDelta("A.Obs1"))
            .Above("φ AUC D_R vs D_F", rf, "50", 50, Difference.AucAgainst(rf, phi.Retain.Length, phi.Forget.Length, 50));
        return new ClaimOutcome("A.Obs1", "retrained model, forget 10%", o.Checks,
            new Dictionary<string, Measured>
            {
                ["phi_auc_forget_vs_test"] = Measured.WithError(ft, 100 * Difference.AucStdError(ft / 100, phi.Forget.Length, phi.Test.Length)),
                ["phi_auc_retain_vs_forget"] = Measured.WithError(rf, 100 * Difference.AucStdError(rf / 100, phi.Retain.Length, phi.Forget.Length)),
            }, "", 0,
            [ConfidenceFigure("amun-fig3-retrained-confidence.png", "AMUN Fig. 3 (ci): confidence φ of the retrained model", phi)]);
    }

    /// <summary>AMUN Fig. 5: after AMUN the forget set's confidences move toward the test set's (φ AUC D_F vs D_T falls toward 50%).</summary>
    private ClaimOutcome ConfidenceShift(double fraction)
    {
        var e = Experiment;
        var forget = e.ForgetSet(fraction, 0);
        var before = Phis(e.Original.Model, forget);
        var amun = e.Create("AMUN", RetainAccess.WithRetain, e.TunedRate("AMUN", fraction, RetainAccess.WithRetain));
        var result = amun.Unlearn(new Unlearning.UnlearningRequest(e.Original.Model, () => runner.CreateModel(e.Scenario.Base, e.Original.Data), e.Original.Data,
            e.Original.Split.Train.Except(forget).ToArray(), forget, e.Scenario.Base.Training, e.Scenario.Base.Seed, Device: runner.Device));
        (double[] Retain, double[] Forget, double[] Test) after;
        using (result.Model) after = Phis(result.Model, forget);
        double aucBefore = 100 * RocAuc.Compute(before.Forget, before.Test), aucAfter = 100 * RocAuc.Compute(after.Forget, after.Test);
        int test = e.Original.Split.Test.Length;
        var o = new OrderChecks().Above("φ AUC D_F vs D_T before AMUN", aucBefore, "after", aucAfter, Difference.Aucs(aucBefore, forget.Length, test, aucAfter, forget.Length, test));
        return new ClaimOutcome("A.F5.conf-shift", "with D_R, forget 10%", o.Checks,
            new Dictionary<string, Measured> { ["phi_auc_before"] = Auc(e, aucBefore, forget.Length), ["phi_auc_after"] = Auc(e, aucAfter, forget.Length) }, "", 0,
            [
                ConfidenceFigure("amun-fig5-before.png", "AMUN Fig. 5 (ci): confidence φ of the original model", before),
                ConfidenceFigure("amun-fig5-after.png", "AMUN Fig. 5 (ci): confidence φ after AMUN", after),
            ]);
    }

    /// <summary>AMUN App. E.1: Alg. 1 over D_F costs fewer than 3 full PGD-50 passes (in attacked samples); Fig. 4's ε histogram.</summary>
    private ClaimOutcome Cost()
    {
        var e = Experiment;
        var o = new OrderChecks();
        var values = new Dictionary<string, Measured>();
        var series = new List<Series>();
        foreach (double f in Fractions)
        {
            var set = e.AdversarialSet(e.ForgetSet(f, 0));
            o.NoLowerThan("3 PGD-50 passes", 3, $"Alg. 1 on {Pct(f)} ({set.Requested.Length} samples)", set.PassEquivalents, Difference.Exact(3, set.PassEquivalents), 0);
            int n = set.Requested.Length;
            values[$"no_adversarial_example@{100 * f:0}%"] = Count(set.Failed.Length, n);
            // Pass equivalents are attacked samples over |D_F|: a count, with Poisson noise √(attacked) / |D_F|.
            values[$"pass_equivalents@{100 * f:0}%"] = Measured.WithError(set.PassEquivalents, Math.Sqrt(Math.Max(1, set.PassEquivalents * n)) / n);
            values[$"epsilon_init@{100 * f:0}%"] = Measured.Reported(set.EpsilonInit);
            var levels = set.Doublings.GroupBy(k => k).OrderBy(g => g.Key).ToArray();
            series.Add(new Series($"forget {Pct(f)}", levels.Select(g => set.EpsilonInit * Math.Pow(2, g.Key)).ToArray(),
                levels.Select(g => 100.0 * g.Count() / set.Requested.Length).ToArray()));
        }
        return new ClaimOutcome("A.E1.cost", "forget 10% and 50%", o.Checks, values, "", 0,
            [new FigureData("amun-fig4-epsilon.png", "AMUN Fig. 4 (ci): final ε of Alg. 1", "final ε", "share of D_F (%)", series)]);
    }

    private (double[] Retain, double[] Forget, double[] Test) Phis(Models.ImageClassifier model, int[] forget)
    {
        var e = Experiment;
        var evaluator = new Evaluator(runner.Device);
        var retain = e.Original.Split.Train.Except(forget).ToArray();
        return (evaluator.Evaluate(model, e.Original.Data, retain).Phi, evaluator.Evaluate(model, e.Original.Data, forget).Phi,
            evaluator.Evaluate(model, e.Original.Data, e.Original.Split.Test).Phi);
    }

    private static FigureData ConfidenceFigure(string file, string title, (double[] Retain, double[] Forget, double[] Test) phi)
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

    private static void AddRow(AmunExperiment e, Dictionary<string, Measured> values, int table, double fraction, AmunRow row)
    {
        if (row.Diverged)
        {
            values[$"{row.Method}.diverged"] = new(1, 0);
            return;
        }
        int nf = e.ForgetSet(fraction, 0).Length, nt = e.Original.Split.Test.Length, nr = e.Original.Split.Train.Length - nf;
        values[$"{row.Method}.unlearn_acc"] = Measured.Share(row.Metrics.UnlearnAccuracy, nf, PaperCell(table, fraction, row.Method, "unlearn_acc"), 100);
        values[$"{row.Method}.retain_acc"] = Measured.Share(row.Metrics.RetainAccuracy, nr, PaperCell(table, fraction, row.Method, "retain_acc"), 100);
        values[$"{row.Method}.test_acc"] = Measured.Share(row.Metrics.TestAccuracy, nt, PaperCell(table, fraction, row.Method, "test_acc"), 100);
        values[$"{row.Method}.ft_auc"] = Auc(e, row.Metrics.Mia, nf, PaperCell(table, fraction, row.Method, "ft_auc"));
        values[$"{row.Method}.avg_gap"] = Gap(e, row, nf, paper: PaperCell(table, fraction, row.Method, "avg_gap"));
        // A standard deviation over 3 runs has no stable value to pin (its own relative error is ~50%): reported beside the paper's.
        values[$"{row.Method}.avg_gap_std"] = Measured.Reported(row.Diagnostics["avg_gap_std"], PaperCell(table, fraction, row.Method, "avg_gap_std"));
    }

    /// <summary>An FT AUC (points) on |D_F| members against |D_T| non-members, pinned within 4 Hanley–McNeil standard errors.</summary>
    private static Measured Auc(AmunExperiment e, double auc, int forget, double? paper = null) =>
        Measured.WithError(auc, 100 * Difference.AucStdError(auc / 100, forget, e.Original.Split.Test.Length), paper);

    /// <summary>A count out of <paramref name="n"/>, pinned within 4 binomial standard errors of the count.</summary>
    private static Measured Count(int count, int n) => Measured.Share(count, n, scale: n);

    /// <summary>
    /// An Avg Gap (points): the mean of four |Δ| against the retrained model, each as noisy as its metric (binomial over
    /// D_F, D_R, D_T; Hanley–McNeil for the MIA), and over runs as noisy as the runs' spread — pinned within 4 of the larger.
    /// </summary>
    private static Measured Gap(AmunExperiment e, AmunRow row, int forget, bool mis = false, double? paper = null) =>
        Gap(e, row.Metrics, row.Mis, forget, mis ? row.MisAvgGap : row.AvgGap, mis ? row.MisGaps : row.Gaps, mis, paper);

    private static Measured Gap(AmunExperiment e, UnlearningMetrics m, double misScore, int forget, double value, double[] runs, bool mis, double? paper)
    {
        int nt = e.Original.Split.Test.Length, nr = e.Original.Split.Train.Length - forget;
        double Binomial(double pct, int n) { double p = Math.Clamp(pct / 100, 0.5 / n, 1 - 0.5 / n); return 100 * Math.Sqrt(p * (1 - p) / n); }
        double mia = mis ? Binomial(misScore, forget) : 100 * Difference.AucStdError(m.Mia / 100, forget, nt);
        double metrics = Math.Sqrt(Math.Pow(Binomial(m.UnlearnAccuracy, forget), 2) + Math.Pow(Binomial(m.RetainAccuracy, nr), 2)
                                   + Math.Pow(Binomial(m.TestAccuracy, nt), 2) + mia * mia) / 4;
        double spread = runs.Length < 2 ? 0 : Metrics.SampleStatistics.Std(runs) / Math.Sqrt(runs.Length);
        return Measured.WithError(value, Math.Max(metrics, spread), paper);
    }

    private static string Rates(IEnumerable<AmunRow> rows) =>
        "learning rates tuned on a separate forget draw: " + string.Join(", ", rows.Select(r => r.Diverged ? $"{r.Method} diverged at every rate" : $"{r.Method} {r.LearningRate:G2}"));

    /// <summary>A share as the variant names write it ("10%", culture-independent).</summary>
    private static string Pct(double share) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{100 * share:0}%");

    private static string Variant(RetainAccess access, double fraction) =>
        $"{(access == RetainAccess.WithRetain ? "with D_R" : "D_F only")}, forget {Pct(fraction)}";

    /// <summary>A cell of AMUN Table <paramref name="table"/> (null where the table has no such cell).</summary>
    private static double? PaperCell(int table, double fraction, string method, string column, RetainAccess? access = null)
    {
        var t = PaperTable.Load($"amun/table{table}");
        string forget = $"{100 * fraction:0}%";
        string? accessName = access is { } a ? (a == RetainAccess.WithRetain ? "with D_R" : "D_F only") : null;
        var match = t.Rows.FirstOrDefault(r => r.TryGetProperty("forget", out var f) && f.GetString() == forget
                                               && r.TryGetProperty("method", out var m) && m.GetString() == method && r.TryGetProperty(column, out _)
                                               && (accessName is null || !r.TryGetProperty("access", out var ac) || ac.GetString() == accessName));
        return match.ValueKind == System.Text.Json.JsonValueKind.Undefined ? null : match.GetProperty(column).GetDouble();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_experiment.IsValueCreated) _experiment.Value.Dispose();
        if (_lipschitz.IsValueCreated) _lipschitz.Value.Dispose();
    }
}
