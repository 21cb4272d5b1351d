using Unlearning.Scenarios;
using Unlearning.Unlearning;

namespace Unlearning.Claims;

/// <summary>
/// The Potion paper's trained state, shared by all its claims in one process: the poisoned models of the scale's
/// <see cref="ScaleProfile.Poison"/> scenarios (each trained once, cached on disk, and validated: a backdoor that did not
/// implant throws with the numbers), and each (trigger, discovery)'s unlearning rows — PTN with XLF / LF / SSD importances,
/// the Goel grid SSD, EU and None — run once and read by every claim; and how the claims compare two rows.
/// </summary>
public sealed class PotionFixture(ScenarioRunner runner, ScaleProfile profile, Action<string>? log = null)
{
    /// <summary>The metrics as the paper defines them (Potion §4.1), for the report.</summary>
    public const string Definitions = "Poison healed = 100 · Acc(model on triggered test images, clean labels) / Acc(model retrained with all poison removed, same images); " +
                                      "model damage = clean-test accuracy after − before unlearning, in points.";

    /// <summary>The PTN methods, by importance.</summary>
    public static readonly string[] PtnFamily = ["PTN-XLF", "PTN-LF", "PTN-SSD"];

    // Computed once per key; tests in parallel lanes wait only for the key they need.
    private readonly KeyedOnce<(TriggerKind, int?), PoisonedBase> _bases = new();
    private readonly KeyedOnce<string, IReadOnlyDictionary<string, PotionRow>> _rows = new();
    private readonly KeyedOnce<string, PotionRow> _eu = new();
    private readonly KeyedOnce<string, PotionRow> _xlf = new();
    private readonly KeyedOnce<string, PoisonedBase> _harder = new();

    /// <summary>The scale profile the fixture's scenarios come from.</summary>
    public ScaleProfile Profile => profile;

    /// <summary>The scenario runner the fixture trains and evaluates with.</summary>
    public ScenarioRunner Runner => runner;

    /// <summary>δ of a claim's non-inferiority checks (catalog: "EU heals fully" of Table 9, Table 8's s_step and Fig. 8's ρ "at least as well", Fig. 6's "no damage"; stated choices).</summary>
    public static double Delta(string claim) => ClaimCatalog.Get(claim).Delta("non-inferiority");

    /// <summary>One key per model: |S_m| = the paper's default 1,000 is the same scenario as none named.</summary>
    private static int? DefaultAsNull(int? poisoned) => poisoned == ScaleProfile.PaperPoisoned ? null : poisoned;

    /// <summary>The trained, validated poisoned base of a trigger (throws <see cref="InvalidScenarioException"/> with the numbers if the backdoor did not implant).</summary>
    public PoisonedBase Base(TriggerKind trigger = TriggerKind.BadNet, int? poisoned = null)
    {
        poisoned = DefaultAsNull(poisoned);
        return _bases.Get((trigger, poisoned), () => PoisonScenarios.Train(runner, profile.Poison(trigger, poisoned), log: log));
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
        var rows = _rows.Get(key, () => SsdFamilyRows(b, d));
        if (!withEu) return rows;
        var eu = _eu.Get(key, () => PotionExperiment.ExactUnlearning(runner, b, d.Identify(b.Plan)));
        return new Dictionary<string, PotionRow>(rows) { ["EU"] = eu };
    }

    /// <summary>The trained, validated poisoned base of the scale's harder scenario (<see cref="ScaleProfile.PotionHarder"/>).</summary>
    public PoisonedBase HarderBase => _harder.Get("", () => PoisonScenarios.Train(runner,
        profile.PotionHarder ?? throw new InvalidOperationException($"the {profile.Name} scale has no harder Potion scenario"), log: log));

    /// <summary>The rows of the harder scenario for one discovery: the SSD family and None (no EU).</summary>
    public IReadOnlyDictionary<string, PotionRow> HarderRows(Discovery d)
    {
        var b = HarderBase;
        return _rows.Get($"harder|{d.Name}", () => SsdFamilyRows(b, d));
    }

    /// <summary>PTN-XLF, PTN-LF, PTN-SSD, the Goel grid SSD and None on a poisoned base for one discovery, by method.</summary>
    private IReadOnlyDictionary<string, PotionRow> SsdFamilyRows(PoisonedBase b, Discovery d) =>
        PotionExperiment.Run(runner, b, d.Identify(b.Plan), [.. PotionExperiment.SsdFamily(b), new NoUnlearning()]).ToDictionary(r => r.Method);

    /// <summary>The BadNet rows (EU included) of every scenario of the scale's Goel grid, in grid order.</summary>
    public List<IReadOnlyDictionary<string, PotionRow>> GoelRows() =>
        profile.GoelGrid.Select(g => Rows(TriggerKind.BadNet, g.Discovery, withEu: true, g.Poisoned)).ToList();

    /// <summary>PTN-XLF on BadNet at S_f = 50% with other PTN settings (Table 8's s_step, Fig. 8's ρ), run once per setting.</summary>
    public PotionRow Xlf(PtnOptions options)
    {
        return _xlf.Get(options.ToString(), () =>
        {
            var b = Base();
            var sf = Discovery.Share(0.5).Identify(b.Plan);
            return PotionExperiment.Run(runner, b, sf, [new PtnUnlearner(ImportanceKind.ExponentLossFree, options, b.Scenario.ImportanceBatchSize)]).Single();
        });
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
    public static (double Healed, double StdError) HealedWithError(PotionRow r, PoisonedBase on)
    {
        int n = r.Evaluation.TriggeredCorrect.Length;
        double p = Math.Clamp(r.Evaluation.TriggeredAccuracy, 0.5 / n, 1 - 0.5 / n);
        return (r.Healed, 100 / on.CleanEval.TriggeredAccuracy * Math.Sqrt(p * (1 - p) / n));
    }

    /// <summary>The standard error of a row's model damage: paired against the poisoned model per clean test image, at least one image's share.</summary>
    public static double DamageError(PotionRow row, PoisonedBase on) =>
        Math.Max(Difference.Paired(row.Evaluation.CleanCorrect, on.PoisonedEval.CleanCorrect).StdError, 100.0 / row.Evaluation.CleanCorrect.Length);

    /// <summary>The rows with every PTN method replaced by <paramref name="control"/>'s (the negative control of a claim about what PTN does).</summary>
    public static IReadOnlyDictionary<string, PotionRow> WithControl(IReadOnlyDictionary<string, PotionRow> rows, string? control) =>
        control == null ? rows : rows.ToDictionary(r => r.Key, r => PtnFamily.Contains(r.Key) ? rows[control] with { Method = r.Key } : r.Value);

    /// <summary>A method's name as a value key ("SSD (Goel grid)" → "SSD_Goel_grid").</summary>
    public static string ValueKey(string method) => method.Replace(" ", "_").Replace("(", "").Replace(")", "");

    /// <summary>Each row's healed and damage with their noise, beside the paper's (<paramref name="paper"/>: column, method → number or null).</summary>
    public static Dictionary<string, Measured> Cells(IReadOnlyDictionary<string, PotionRow> rows, Func<string, string, double?> paper, PoisonedBase on)
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
}
