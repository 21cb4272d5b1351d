using System.Globalization;
using Unlearning.Metrics;
using Unlearning.Reporting;
using Unlearning.Scenarios;
using Unlearning.Unlearning;

namespace Unlearning.Claims;

/// <summary>
/// The Potion claims. At paper scale on <see cref="PoisonScenario.Paper"/> (CIFAR-10, ResNet-9, |S_m| = 1,000, every
/// trigger); otherwise at ci scale: embedded MNIST (7,200 train / 2,000 test / 800 validation), SmallCnn trained 25
/// epochs, BadNet and sinusoid at 2%, the moving trigger at 5% (<see cref="PoisonScenario.CiFraction"/>); PTN (ρ 0.2,
/// b_start 25, s_step 1.1) with XLF / LF / SSD importances at batch 512, the Goel grid SSD, EU and None. Each poisoned
/// model is trained once (and cached on disk); each (trigger, discovery) is unlearned once and every claim reads the
/// same rows.
/// </summary>
public sealed class PotionSuite(ScenarioRunner runner, Scale scale, Action<string>? log = null) : IClaimSuite
{
    /// <summary>δ of a claim's non-inferiority checks (catalog: "EU heals fully" of Table 9, Table 8's s_step and Fig. 8's ρ "at least as well", Fig. 6's "no damage"; stated choices).</summary>
    private static double Delta(string claim) => ClaimCatalog.Get(claim).Delta("non-inferiority");

    /// <summary>The metrics as the paper defines them (Potion §4.1), for the report.</summary>
    public const string Definitions = "Poison healed = 100 · Acc(model on triggered test images, clean labels) / Acc(model retrained with all poison removed, same images); " +
                                      "model damage = clean-test accuracy after − before unlearning, in points.";

    private static readonly string[] PtnFamily = ["PTN-XLF", "PTN-LF", "PTN-SSD"];
    private readonly Dictionary<(TriggerKind, int?), PoisonedBase> _bases = new();
    private readonly Dictionary<string, Dictionary<string, PotionRow>> _rows = new();
    private readonly Dictionary<string, PotionRow> _xlf = new();

    /// <inheritdoc />
    public string Paper => "Potion";

    /// <summary>The ci poisoning scenario of a trigger.</summary>
    public static PoisonScenario Scenario(TriggerKind trigger) => PoisonScenario.Ci(trigger: trigger, fraction: PoisonScenario.CiFraction(trigger));

    /// <summary>What a value note says the scenario is (the paper's setting is named beside it).</summary>
    private string Setting(TriggerKind trigger) => scale == Scale.Paper
        ? $"{trigger} on {PoisonScenario.Paper(trigger).PoisonFraction * 49_000:0} of 49,000 CIFAR-10 images, ResNet-9"
        : $"{trigger} at {(100 * PoisonScenario.CiFraction(trigger)).ToString("0", CultureInfo.InvariantCulture)}%, embedded MNIST, SmallCnn";


    /// <summary>|S_m| of the paper-scale scenarios when none is named (Goel et al.'s largest, 2% of CIFAR-10's training set).</summary>
    public const int PaperPoisoned = 1000;

    /// <summary>
    /// The poisoning scenario of a trigger at this suite's scale (paper: <see cref="PoisonScenario.Paper"/> with
    /// <paramref name="poisoned"/> images poisoned, 1,000 by default; any other scale: ci, where only the default exists).
    /// </summary>
    public PoisonScenario ScenarioAtScale(TriggerKind trigger, int? poisoned = null)
    {
        if (scale == Scale.Paper) return PoisonScenario.Paper(trigger, poisoned ?? PaperPoisoned);
        if (poisoned != null) throw new ArgumentException($"|S_m| = {poisoned} is a paper-scale setting; at {scale} scale the poison share is {PoisonScenario.CiFraction(trigger):P0}");
        return Scenario(trigger);
    }

    /// <summary>One key per model: |S_m| = the paper's default 1,000 is the same scenario as none named.</summary>
    private static int? DefaultAsNull(int? poisoned) => poisoned == PaperPoisoned ? null : poisoned;

    /// <summary>
    /// The |S_m| × S_f grid of Goel et al.'s scenarios that Table 1's "goel" rows average over. Paper: |S_m| ∈ {100, 500,
    /// 1,000} of CIFAR-10 × S_f ∈ {10%, 20%, …, 100%} (the paper also averages CIFAR-100). ci: the one poison share that
    /// implants (2%) × the ci sweep's S_f ∈ {10%, 50%, 100%}.
    /// </summary>
    public IReadOnlyList<(int? Poisoned, Discovery Discovery)> GoelGrid => scale == Scale.Paper
        ? [.. from p in new[] { 100, 500, 1000 } from k in Enumerable.Range(1, 10) select ((int?)p, Discovery.Share(k / 10.0))]
        : [.. new[] { 0.1, 0.5, 1.0 }.Select(f => ((int?)null, Discovery.Share(f)))];

    /// <summary>The trained, validated poisoned base of a trigger (throws <see cref="InvalidScenarioException"/> with the numbers if the backdoor did not implant).</summary>
    public PoisonedBase Base(TriggerKind trigger = TriggerKind.BadNet, int? poisoned = null)
    {
        poisoned = DefaultAsNull(poisoned);
        lock (_bases)
        {
            if (!_bases.TryGetValue((trigger, poisoned), out var b)) _bases[(trigger, poisoned)] = b = PoisonScenarios.Train(runner, ScenarioAtScale(trigger, poisoned), log: log);
            return b;
        }
    }

    /// <summary>
    /// Rows by method for one discovery: PTN-XLF, PTN-LF, PTN-SSD, SSD (Goel grid), None, and EU when <paramref name="withEu"/>;
    /// <paramref name="poisoned"/> picks a paper-scale |S_m| other than the default.
    /// </summary>
    public IReadOnlyDictionary<string, PotionRow> Rows(TriggerKind trigger, Discovery d, bool withEu, int? poisoned = null)
    {
        poisoned = DefaultAsNull(poisoned);
        var b = Base(trigger, poisoned);
        string key = $"{trigger}|{poisoned}|{d.Name}";
        lock (_rows)
        {
            if (!_rows.TryGetValue(key, out var rows))
                _rows[key] = rows = PotionExperiment.Run(runner, b, d.Identify(b.Plan), [.. PotionExperiment.SsdFamily(b), new NoUnlearning()]).ToDictionary(r => r.Method);
            if (withEu && !rows.ContainsKey("EU")) rows["EU"] = PotionExperiment.ExactUnlearning(runner, b, d.Identify(b.Plan));
            return rows;
        }
    }

    /// <summary>
    /// The difference in poison healed of two rows on the same triggered test images, paired per image (McNemar): healed
    /// is 100 · Acc_trig / Acc_trig(M_clean), so the accuracy difference is scaled by 100 / Acc_trig(M_clean).
    /// </summary>
    public static Difference HealedDifference(PotionRow a, PotionRow b, PoisonedBase on) =>
        Difference.Paired(a.Evaluation.TriggeredCorrect, b.Evaluation.TriggeredCorrect, 100 / on.CleanEval.TriggeredAccuracy, "triggered test images");

    /// <summary>The difference in model damage (points of clean test accuracy) of two rows, paired per clean test image.</summary>
    public static Difference DamageDifference(PotionRow a, PotionRow b) =>
        Difference.Paired(a.Evaluation.CleanCorrect, b.Evaluation.CleanCorrect, 100, "clean test images");

    /// <summary>A row's poison healed with its binomial standard error (for rows on different triggered test sets).</summary>
    private static (double Healed, double StdError) HealedWithError(PotionRow r, PoisonedBase on)
    {
        int n = r.Evaluation.TriggeredCorrect.Length;
        double p = Math.Clamp(r.Evaluation.TriggeredAccuracy, 0.5 / n, 1 - 0.5 / n);
        return (r.Healed, 100 / on.CleanEval.TriggeredAccuracy * Math.Sqrt(p * (1 - p) / n));
    }

    /// <summary>The rows with every PTN method replaced by None's (the negative control of a claim about what PTN does).</summary>
    private static IReadOnlyDictionary<string, PotionRow> WithControl(IReadOnlyDictionary<string, PotionRow> rows, string? control) =>
        control == null ? rows : rows.ToDictionary(r => r.Key, r => PtnFamily.Contains(r.Key) ? rows[control] with { Method = r.Key } : r.Value);


    /// <inheritdoc />
    public IReadOnlyList<ClaimVariant> Variants =>
    [
        .. new[] { 0.1, 0.5 }.Select(f => new ClaimVariant("P.T1.order", $"SSD family, {Discovery.Share(f).Name}", () => SsdFamilyOrder(Discovery.Share(f)),
            Control.None(c => SsdFamilyOrder(Discovery.Share(f), c)))),
        new("P.T1.order", "EU, S_f=10%", () => EuPartial(Discovery.Share(0.1))),
        new("P.T1.order", "EU, S_f=50%", () => EuPartial(Discovery.Share(0.5))),
        new("P.T1.order", "Goel mean", GoelMeanOrder),
        new("P.T1.values", "S_f=10%", () => Table1Cells(Discovery.Share(0.1))),
        new("P.T1.values", "S_f=50%", () => Table1Cells(Discovery.Share(0.5))),
        new("P.T1.values", "S_f=1", () => Table1Cells(Discovery.OneShot)),
        new("P.T1.values", "Goel mean", GoelMean),
        new("P.T1.one-shot", "vs PTN-SSD and None", () => OneShot(["PTN-SSD", "None"]), Control.None(c => OneShot(["PTN-SSD", "None"], c))),
        new("P.T1.one-shot", "vs the Goel grid SSD", () => OneShot(["SSD (Goel grid)"]), Control.None(c => OneShot(["SSD (Goel grid)"], c))),
        new("P.T9.full", "S_f=100%", FullDiscovery),
        new("P.T8.step", "PTN-XLF, S_f=50%", Steps),
        new("P.F8.rho", "PTN-XLF, S_f=50%", Rho),
        new("P.F6.trend", "XLF, S_f=50%", AlphaTrend),
        new("P.T2-7.poisons", "sinusoid harder than badnet", () => SinusoidHardest(TriggerKind.BadNet)),
        new("P.T2-7.poisons", "sinusoid harder than moving", () => SinusoidHardest(TriggerKind.Moving)),
        new("P.T2-7.poisons", "moving trigger, one-shot", MovingOneShot),
        .. new[] { TriggerKind.Sinusoid, TriggerKind.Moving }.SelectMany(t => new[] { Discovery.Share(0.1), Discovery.Share(0.5), Discovery.OneShot }
            .Select(d => new ClaimVariant("P.T2-7.poisons", $"{t}, {d.Name}", () => PoisonTypeCells(t, d)))),
    ];

    private static ClaimOutcome Outcome(string claim, string variant, OrderChecks checks, IReadOnlyDictionary<string, Measured>? values = null, params FigureData[] figures) =>
        new(claim, variant, checks.Checks, values ?? new Dictionary<string, Measured>(), "", 0, figures);

    /// <summary>
    /// Potion Table 1's order under partial discovery: PTN-XLF &gt; PTN-LF &gt; PTN-SSD &gt; the Goel grid SSD ≫ None (by 10 points)
    /// in poison healed, and PTN-XLF damaging less than the other SSD-family methods; every difference paired per test image.
    /// </summary>
    private ClaimOutcome SsdFamilyOrder(Discovery d, string? control = null)
    {
        var r = WithControl(Rows(TriggerKind.BadNet, d, withEu: false), control);
        var b = Base();
        var o = new OrderChecks();
        foreach (var (hi, lo) in new[] { ("PTN-XLF", "PTN-LF"), ("PTN-LF", "PTN-SSD"), ("PTN-SSD", "SSD (Goel grid)") })
            o.Above($"healed {hi}", r[hi].Healed, lo, r[lo].Healed, HealedDifference(r[hi], r[lo], b));
        o.Above("healed SSD (Goel grid)", r["SSD (Goel grid)"].Healed, "None", r["None"].Healed, HealedDifference(r["SSD (Goel grid)"], r["None"], b), by: 10);
        foreach (var other in new[] { "PTN-LF", "PTN-SSD", "SSD (Goel grid)" })
            o.Above("damage PTN-XLF", r["PTN-XLF"].Damage, other, r[other].Damage, DamageDifference(r["PTN-XLF"], r[other]));
        return Outcome("P.T1.order", $"SSD family, {d.Name}", o);
    }

    private ClaimOutcome EuPartial(Discovery d)
    {
        var r = Rows(TriggerKind.BadNet, d, withEu: true);
        var b = Base();
        var o = new OrderChecks()
            .Above("healed SSD (Goel grid)", r["SSD (Goel grid)"].Healed, "EU", r["EU"].Healed, HealedDifference(r["SSD (Goel grid)"], r["EU"], b), by: 10)
            .Above("healed PTN-XLF", r["PTN-XLF"].Healed, "EU", r["EU"].Healed, HealedDifference(r["PTN-XLF"], r["EU"], b), by: 10)
            .Above("healed EU", r["EU"].Healed, "None", r["None"].Healed, HealedDifference(r["EU"], r["None"], b));
        return Outcome("P.T1.order", $"EU, {d.Name}", o);
    }

    private Dictionary<string, Measured> Cells(IReadOnlyDictionary<string, PotionRow> rows, Func<string, string, double?> paper, PoisonedBase on)
    {
        var values = new Dictionary<string, Measured>();
        foreach (var (method, row) in rows)
        {
            string key = ValueKey(method);
            values[$"{key}.healed"] = Measured.WithError(row.Healed, HealedWithError(row, on).StdError, paper("healed", method));
            values[$"{key}.damage"] = Measured.WithError(row.Damage, DamageError(row, on), paper("damage", method));
        }
        return values;
    }

    /// <summary>The standard error of a row's model damage: paired against the poisoned model per clean test image, at least one image's share.</summary>
    private static double DamageError(PotionRow row, PoisonedBase on) =>
        Math.Max(Difference.Paired(row.Evaluation.CleanCorrect, on.PoisonedEval.CleanCorrect).StdError, 100.0 / row.Evaluation.CleanCorrect.Length);

    /// <summary>A method's name as a value key ("SSD (Goel grid)" → "SSD_Goel_grid").</summary>
    private static string ValueKey(string method) => method.Replace(" ", "_").Replace("(", "").Replace(")", "");

    private ClaimOutcome Table1Cells(Discovery d)
    {
        bool oneShot = d.Count == 1;
        var paper = PaperTable.Load("potion/table1");
        var values = Cells(Rows(TriggerKind.BadNet, d, withEu: !oneShot), (column, method) => paper.Value(column, ("setting", oneShot ? "one-shot" : "goel"), ("method", method)), Base());
        return new ClaimOutcome("P.T1.values", d.Name, [], values, $"{Setting(TriggerKind.BadNet)}; paper: mean over CIFAR-10/100 scenarios. " + Definitions, 0, []);
    }

    /// <summary>
    /// Table 1's "goel" rows as the paper computes them: each method's mean and standard deviation (n − 1) of poison healed
    /// and model damage over the <see cref="GoelGrid"/> scenarios, beside the paper's mean ± std.
    /// </summary>
    private ClaimOutcome GoelMean()
    {
        var grid = GoelGrid;
        var cells = GoelRows();
        var bases = grid.Select(g => Base(TriggerKind.BadNet, g.Poisoned)).ToList();
        var paper = PaperTable.Load("potion/table1");
        double? Paper(string column, string method) => paper.Value(column, ("setting", "goel"), ("method", method));
        var values = new Dictionary<string, Measured>();
        foreach (string method in cells[0].Keys)
        {
            string key = ValueKey(method);
            double[] healed = cells.Select(c => c[method].Healed).ToArray(), damage = cells.Select(c => c[method].Damage).ToArray();
            // The mean over the grid's scenarios: their errors (shared test images) bounded by the mean of theirs.
            values[$"{key}.healed"] = Measured.WithError(healed.Average(), cells.Select((c, i) => HealedWithError(c[method], bases[i]).StdError).Average(), Paper("healed", method));
            values[$"{key}.healed_std"] = Measured.Reported(SampleStatistics.Std(healed), Paper("healed_std", method));
            values[$"{key}.damage"] = Measured.WithError(damage.Average(), cells.Select((c, i) => DamageError(c[method], bases[i])).Average(), Paper("damage", method));
            values[$"{key}.damage_std"] = Measured.Reported(SampleStatistics.Std(damage), Paper("damage_std", method));
        }
        string scenarios = string.Join(", ", grid.Select(g => g.Poisoned is { } p ? $"|S_m| {p} {g.Discovery.Name}" : g.Discovery.Name));
        return new ClaimOutcome("P.T1.values", "Goel mean", [], values,
            $"{(scale == Scale.Paper ? "BadNet on CIFAR-10 (49,000 training images), ResNet-9" : Setting(TriggerKind.BadNet))}; mean ± std (n − 1) over {grid.Count} scenarios ({scenarios}); paper: mean over Goel et al.'s CIFAR-10/100 scenarios. " + Definitions,
            0, []);
    }

    /// <summary>The BadNet rows (EU included) of every scenario of the <see cref="GoelGrid"/>, in grid order.</summary>
    private List<IReadOnlyDictionary<string, PotionRow>> GoelRows() =>
        GoelGrid.Select(g => Rows(TriggerKind.BadNet, g.Discovery, withEu: true, g.Poisoned)).ToList();

    /// <summary>
    /// P.T1.order on the means the paper's Table 1 reports: over the <see cref="GoelGrid"/>, PTN-XLF ≥ PTN-LF ≥ PTN-SSD ≥
    /// the Goel grid SSD ≫ EU &gt; None in poison healed, and PTN-XLF damaging least of the SSD family.
    /// </summary>
    private ClaimOutcome GoelMeanOrder()
    {
        var cells = GoelRows();
        var bases = GoelGrid.Select(g => Base(TriggerKind.BadNet, g.Poisoned)).ToList();
        double Healed(string m) => cells.Average(c => c[m].Healed);
        double Damage(string m) => cells.Average(c => c[m].Damage);
        Difference HealedMean(string a, string b) => Difference.MeanOf(cells.Select((c, i) => HealedDifference(c[a], c[b], bases[i])).ToList(), "scenarios");
        Difference DamageMean(string a, string b) => Difference.MeanOf(cells.Select(c => DamageDifference(c[a], c[b])).ToList(), "scenarios");
        var o = new OrderChecks();
        foreach (var (hi, lo) in new[] { ("PTN-XLF", "PTN-LF"), ("PTN-LF", "PTN-SSD"), ("PTN-SSD", "SSD (Goel grid)") })
            o.Above($"mean healed {hi}", Healed(hi), lo, Healed(lo), HealedMean(hi, lo));
        o.Above("mean healed SSD (Goel grid)", Healed("SSD (Goel grid)"), "EU", Healed("EU"), HealedMean("SSD (Goel grid)", "EU"), by: 10)
         .Above("mean healed EU", Healed("EU"), "None", Healed("None"), HealedMean("EU", "None"));
        foreach (var other in new[] { "PTN-LF", "PTN-SSD", "SSD (Goel grid)" })
            o.Above("mean damage PTN-XLF", Damage("PTN-XLF"), other, Damage(other), DamageMean("PTN-XLF", other));
        return Outcome("P.T1.order", "Goel mean", o);
    }

    private ClaimOutcome OneShot(string[] against, string? control = null)
    {
        var r = WithControl(Rows(TriggerKind.BadNet, Discovery.OneShot, withEu: false), control);
        var b = Base();
        var o = new OrderChecks();
        foreach (string m in new[] { "PTN-XLF", "PTN-LF" })
            foreach (string vs in against)
                o.Above($"healed {m}", r[m].Healed, vs, r[vs].Healed, HealedDifference(r[m], r[vs], b), by: 5);
        return Outcome("P.T1.one-shot", against.Length == 1 ? "vs the Goel grid SSD" : "vs PTN-SSD and None", o);
    }

    private ClaimOutcome FullDiscovery()
    {
        var b = Base();
        var r = Rows(TriggerKind.BadNet, Discovery.Share(1.0), withEu: true);
        // EU after full discovery retrains on clean data: it heals fully, up to the catalog's δ, paired against M_clean per image.
        var o = new OrderChecks().NoLowerThan("healed EU", r["EU"].Healed, "100%", 100,
            Difference.Paired(r["EU"].Evaluation.TriggeredCorrect, b.CleanEval.TriggeredCorrect, 100 / b.CleanEval.TriggeredAccuracy, "triggered test images"),
            Delta("P.T9.full"));
        foreach (var m in new[] { "PTN-XLF", "PTN-LF", "PTN-SSD", "SSD (Goel grid)", "None" })
            o.NoLowerThan("healed EU", r["EU"].Healed, m, r[m].Healed, HealedDifference(r["EU"], r[m], b), 0);
        o.Above("healed PTN-XLF", r["PTN-XLF"].Healed, "PTN-LF", r["PTN-LF"].Healed, HealedDifference(r["PTN-XLF"], r["PTN-LF"], b))
         .Above("healed PTN-LF", r["PTN-LF"].Healed, "PTN-SSD", r["PTN-SSD"].Healed, HealedDifference(r["PTN-LF"], r["PTN-SSD"], b));
        var paper = PaperTable.Load("potion/table9");
        return Outcome("P.T9.full", "S_f=100%", o, values: Cells(r, (column, method) => paper.Value(column, ("method", method)), b), figures: HealingPerDiscovery());
    }

    /// <summary>Potion Fig. 10: healed and damage per S_f share for each method (the discoveries run so far, plus the ones this needs).</summary>
    private FigureData HealingPerDiscovery()
    {
        (double X, Discovery D)[] shares = [(1.0 / Base().Plan.Poisoned.Length, Discovery.OneShot), (0.1, Discovery.Share(0.1)), (0.5, Discovery.Share(0.5)), (1.0, Discovery.Share(1.0))];
        var rows = shares.Select(s => (x: s.X, r: Rows(TriggerKind.BadNet, s.D, withEu: false))).ToList();
        var methods = rows[0].r.Keys.ToList();
        return new FigureData("potion-fig10-healed-per-discovery.png", "Potion Fig. 10 (ci): poison healed vs share of S_m identified",
            "identified share of S_m (S_f / S_m)", "poison healed (%)",
            methods.Select(m => new Series(m, rows.Select(x => 100 * x.x).ToArray(), rows.Select(x => x.r[m].Healed).ToArray())).ToList());
    }

    private PotionRow Xlf(PtnOptions options)
    {
        string key = options.ToString();
        lock (_xlf)
        {
            if (_xlf.TryGetValue(key, out var row)) return row;
            var b = Base();
            var sf = Discovery.Share(0.5).Identify(b.Plan);
            return _xlf[key] = PotionExperiment.Run(runner, b, sf, [new PtnUnlearner(ImportanceKind.ExponentLossFree, options, b.Scenario.ImportanceBatchSize)]).Single();
        }
    }

    private ClaimOutcome Steps()
    {
        var b = Base();
        var rows = new[] { 1.01, 1.1, 2.0 }.Select(step => (step, row: Xlf(new PtnOptions(SStep: step)))).ToList();
        var o = new OrderChecks();
        for (int i = 1; i < rows.Count; i++)
            o.NoLowerThan($"healed s_step={rows[i].step}", rows[i].row.Healed, $"s_step={rows[i - 1].step}", rows[i - 1].row.Healed,
                HealedDifference(rows[i].row, rows[i - 1].row, b), Delta("P.T8.step"));
        var paper = PaperTable.Load("potion/table8");
        var values = rows.SelectMany(r => new[]
        {
            ($"s_step={r.step}.healed", Measured.WithError(r.row.Healed, HealedWithError(r.row, b).StdError, paper.Value("healed", ("s_step", r.step.ToString("0.0#", System.Globalization.CultureInfo.InvariantCulture)), ("method", "PTN-XLF")))),
            ($"s_step={r.step}.damage", Measured.WithError(r.row.Damage, DamageError(r.row, b), paper.Value("damage", ("s_step", r.step.ToString("0.0#", System.Globalization.CultureInfo.InvariantCulture)), ("method", "PTN-XLF")))),
        }).ToDictionary(x => x.Item1, x => x.Item2);
        return Outcome("P.T8.step", "PTN-XLF, S_f=50%", o, values: values);
    }

    private ClaimOutcome Rho()
    {
        // The redirect share: identified samples whose clean label already is the target class. Their S_f accuracy
        // cannot fall without damaging the model, so ρ below it forces over-forgetting (Potion §5.1).
        var b = Base();
        var sf = Discovery.Share(0.5).Identify(b.Plan);
        double redirect = (double)sf.Count(i => b.Data.Labels[i] == b.Plan.TargetClass) / sf.Length;
        double[] above = new[] { 0.5, 0.3, 0.2 }.Where(r => r > redirect).ToArray();
        var rows = above.Select(rho => (rho, row: Xlf(new PtnOptions(Rho: rho)))).ToList();
        double below = Math.Max(0.01, redirect / 2);
        var over = Xlf(new PtnOptions(Rho: below));
        var o = new OrderChecks();
        for (int i = 1; i < rows.Count; i++)
            o.NoLowerThan($"healed ρ={rows[i].rho}", rows[i].row.Healed, $"ρ={rows[i - 1].rho}", rows[i - 1].row.Healed, HealedDifference(rows[i].row, rows[i - 1].row, b), Delta("P.F8.rho"));
        o.Above($"damage ρ={rows[^1].rho}", rows[^1].row.Damage, $"ρ={below:0.00} (below the redirect share {redirect:P1})", over.Damage, DamageDifference(rows[^1].row, over));
        var all = rows.Append((rho: below, row: over)).OrderBy(r => r.rho).ToList();
        var figure = new FigureData("potion-fig8-rho.png", "Potion Fig. 8 (ci): PTN-XLF sensitivity to ρ (S_f = 50%)", "ρ", "% / pp",
        [
            new Series("poison healed (%)", all.Select(r => r.rho).ToArray(), all.Select(r => r.row.Healed).ToArray()),
            new Series("model damage (pp)", all.Select(r => r.rho).ToArray(), all.Select(r => r.row.Damage).ToArray()),
        ]);
        return Outcome("P.F8.rho", "PTN-XLF, S_f=50%", o, figures: figure);
    }

    private ClaimOutcome AlphaTrend()
    {
        var b = Base();
        var sf = Discovery.Share(0.5).Identify(b.Plan);
        double[] percentiles = [99.999, 99.99, 99.95, 99.9, 99.8, 99.5, 99, 98, 95];
        var points = AlphaSweep.Run(runner, b, sf, ImportanceKind.ExponentLossFree, percentiles);
        double oneSample = 1.0 / sf.Length, threshold = new PtnOptions().Rho * points[0].ForgetAccuracy;
        var o = new OrderChecks();
        // The sweep is deterministic given the importances: the dampened count and the S_f accuracy are exact, and a step may
        // flip two S_f samples either way (δ = two samples' share).
        for (int i = 1; i < points.Count; i++)
        {
            o.NoLowerThan($"α={points[i].Alpha:G3}: dampened", points[i].Dampened, $"α={points[i - 1].Alpha:G3}", points[i - 1].Dampened, Difference.Exact(points[i].Dampened, points[i - 1].Dampened), 0);
            o.NoLowerThan($"S_f accuracy at α={points[i - 1].Alpha:G3}", 100 * points[i - 1].ForgetAccuracy, $"α={points[i].Alpha:G3}", 100 * points[i].ForgetAccuracy,
                Difference.Exact(100 * points[i - 1].ForgetAccuracy, 100 * points[i].ForgetAccuracy), 100 * 2 * oneSample);
        }
        int n = b.Split.Test.Length;
        foreach (var p in points.TakeWhile(p => p.ForgetAccuracy > threshold))
            o.NoLowerThan($"clean accuracy at α={p.Alpha:G3} (before S_f crosses ρ)", 100 * p.CleanAccuracy, "the poisoned model's", 100 * b.PoisonedEval.CleanAccuracy,
                Difference.PairedBound(p.CleanAccuracy, b.PoisonedEval.CleanAccuracy, n), Delta("P.F6.trend"));
        o.Above("S_f accuracy drop over the sweep", 100 * points[0].ForgetAccuracy, "the most aggressive α", 100 * points[^1].ForgetAccuracy,
            Difference.Exact(100 * points[0].ForgetAccuracy, 100 * points[^1].ForgetAccuracy));
        var x = points.Select(p => 100 - p.Percentile).ToArray();
        var figure = new FigureData("potion-fig6-alpha.png", "Potion Fig. 6 (ci): accuracy along decreasing α (XLF, S_f = 50%)",
            "share of parameters above α (100 − percentile of I_f/I_D, %)", "accuracy (%)",
        [
            new Series("S_f (trigger on, target label)", x, points.Select(p => 100 * p.ForgetAccuracy).ToArray()),
            new Series("clean test", x, points.Select(p => 100 * p.CleanAccuracy).ToArray()),
        ]);
        return Outcome("P.F6.trend", "XLF, S_f=50%", o, figures: figure);
    }

    /// <summary>Mean healed over S_f 10% and 50% per PTN method, with a standard error bounded by the mean of the two (shared test images).</summary>
    private Dictionary<string, (double Healed, double StdError, int Samples)> MeanHealed(TriggerKind trigger)
    {
        var b = Base(trigger);
        var rows = new[] { Discovery.Share(0.1), Discovery.Share(0.5) }.Select(d => Rows(trigger, d, withEu: false)).ToArray();
        return PtnFamily.ToDictionary(m => m, m => (rows.Average(r => r[m].Healed), rows.Average(r => HealedWithError(r[m], b).StdError), b.Split.Test.Length));
    }

    private ClaimOutcome SinusoidHardest(TriggerKind other)
    {
        var them = MeanHealed(other);
        var sinusoid = MeanHealed(TriggerKind.Sinusoid);
        var o = new OrderChecks();
        foreach (var m in PtnFamily)
            o.Above($"mean healed (S_f 10%, 50%) {m}: {other}", them[m].Healed, "sinusoid", sinusoid[m].Healed,
                Difference.Independent(them[m].Healed, them[m].StdError, sinusoid[m].Healed, sinusoid[m].StdError,
                    "binomial over each trigger's triggered test images (different images), averaged over the two shares", them[m].Samples, "triggered test images"));
        return Outcome("P.T2-7.poisons", $"sinusoid harder than {other.ToString().ToLowerInvariant()}", o);
    }

    private ClaimOutcome MovingOneShot()
    {
        var r = Rows(TriggerKind.Moving, Discovery.OneShot, withEu: false);
        var b = Base(TriggerKind.Moving);
        var o = new OrderChecks();
        foreach (var m in PtnFamily.Append("SSD (Goel grid)"))
            o.Above("healed None", r["None"].Healed, m, r[m].Healed, HealedDifference(r["None"], r[m], b), by: -10);
        return Outcome("P.T2-7.poisons", "moving trigger, one-shot", o);
    }

    private ClaimOutcome PoisonTypeCells(TriggerKind trigger, Discovery d)
    {
        bool oneShot = d.Count == 1;
        var paper = PaperTable.Load(trigger == TriggerKind.Sinusoid ? "potion/table3" : "potion/table4");
        double? Paper(string column, string method)
        {
            string c = oneShot ? "one_shot_" + column : column;
            return paper.Rows.Any(row => row.GetProperty("method").GetString() == method && row.TryGetProperty(c, out _)) ? paper.Value(c, ("method", method)) : null;
        }
        var values = Cells(Rows(trigger, d, withEu: false), Paper, Base(trigger));
        return new ClaimOutcome("P.T2-7.poisons", $"{trigger}, {d.Name}", [], values,
            $"{Setting(trigger)}; paper: ViT on Imagenette (Table {(trigger == TriggerKind.Sinusoid ? 3 : 4)})", 0, []);
    }
}
