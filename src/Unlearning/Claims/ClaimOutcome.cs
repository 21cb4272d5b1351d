using System.Globalization;
using Unlearning.Reporting;

namespace Unlearning.Claims;

/// <summary>
/// A measured number, the tolerance its snapshot is pinned with, and the paper's number where it has one. Tolerances come
/// from the value's own noise — <see cref="Sigmas"/> standard errors (binomial over its samples, or the spread of its
/// runs) — so that a pin holds on another CPU or thread count unless the value really moved; a NaN tolerance marks a value
/// that is reported but not pinned (a spread over too few runs to have a stable value).
/// </summary>
public sealed record Measured(double Value, double Tolerance, double? Paper = null)
{
    /// <summary>Standard errors a pinned value may drift by: with hundreds of pinned values, two would give dozens of false drifts.</summary>
    public const double Sigmas = 4;

    /// <summary>A share measured on <paramref name="n"/> samples (in units of <paramref name="scale"/>: 1 for a fraction, 100 for percent): 4 binomial standard errors.</summary>
    public static Measured Share(double share, int n, double? paper = null, double scale = 1)
    {
        double p = Math.Clamp(share / scale, 0.5 / Math.Max(n, 1), 1 - 0.5 / Math.Max(n, 1));
        return new(share, Sigmas * scale * Math.Sqrt(p * (1 - p) / Math.Max(n, 1)), paper);
    }

    /// <summary>The mean of <paramref name="runs"/>: 4 standard errors of the mean from their spread, and never less than <paramref name="floor"/>.</summary>
    public static Measured MeanOf(IReadOnlyList<double> runs, double? paper = null, double floor = 0) =>
        new(runs.Average(), Math.Max(floor, runs.Count < 2 ? floor : Sigmas * Metrics.SampleStatistics.Std(runs) / Math.Sqrt(runs.Count)), paper);

    /// <summary>A value with a known standard error: 4 of them.</summary>
    public static Measured WithError(double value, double stdError, double? paper = null) => new(value, Sigmas * stdError, paper);

    /// <summary>Reported beside the paper's number, not pinned.</summary>
    public static Measured Reported(double value, double? paper = null) => new(value, double.NaN, paper);

    /// <summary>The value is pinned (its tolerance is a number).</summary>
    public bool Pinned => !double.IsNaN(Tolerance);
}

/// <summary>A figure a claim produces for the report: line series, rendered to PNG by the report writer.</summary>
public sealed record FigureData(string File, string Title, string XLabel, string YLabel, IReadOnlyList<Series> Series);

/// <summary>
/// What running one variant of a claim produced: the checks (order/trend/invariant claims) or none (value claims, shown
/// beside the paper's numbers), the measured values (pinned as snapshots by the tests, tabulated by the report), the
/// figures, and a note. <see cref="Controls"/> are the same checks run on a control model in place of the method (the
/// registry runs them); <see cref="KnownDeviation"/> is the registry's entry when this variant is a recorded deviation.
/// The tests and <c>reproduce run</c> read the same outcome.
/// </summary>
public sealed record ClaimOutcome(string Claim, string Variant, IReadOnlyList<Check> Checks, IReadOnlyDictionary<string, Measured> Values,
    string Note, double Seconds, IReadOnlyList<FigureData> Figures)
{
    /// <summary>The one-sided level of a contradiction, matching the 95% two-sided intervals of the checks.</summary>
    public const double Alpha = 0.025;

    /// <summary>The controls run through this variant's checks (empty when the claim has none).</summary>
    public IReadOnlyList<ControlResult> Controls { get; init; } = [];

    /// <summary>The recorded deviation of this variant, if any (<see cref="KnownDeviations"/>).</summary>
    public KnownDeviation? KnownDeviation { get; init; }

    /// <summary>True when every check holds (a value claim without checks holds vacuously).</summary>
    public bool Holds => Checks.All(c => c.Holds);

    /// <summary>The checks contradicted after a Holm correction over the claim's checks (validity checks excluded) at <see cref="Alpha"/>.</summary>
    public IReadOnlyList<Check> Contradicted()
    {
        var tested = Checks.Where(c => c.Kind != CheckKind.Validity).OrderBy(c => c.PContradiction).ToList();
        var rejected = new List<Check>();
        for (int i = 0; i < tested.Count; i++)
        {
            if (tested[i].PContradiction > Alpha / (tested.Count - i) || tested[i].Decision != Decision.Contradicted) break;
            rejected.Add(tested[i]);
        }
        return rejected;
    }

    /// <summary>A validity check does not hold: the scenario cannot test the claim.</summary>
    public bool Invalid => Checks.Any(c => c.Kind == CheckKind.Validity && !c.Holds);

    /// <summary>A negative control (a method that does nothing) passes every check: the checks cannot tell the method from it.</summary>
    public bool Vacuous => Controls.Any(c => c.Negative && c.Passes);

    /// <summary>
    /// A positive control (what the claim calls "as good as") is contradicted by the checks: they demand more than the claim.
    /// (One that is only unresolved shows that the checks cannot be decided at this scale, which the checks say themselves.)
    /// </summary>
    public bool ControlFailed => Controls.Any(c => !c.Negative && c.Contradicted);

    /// <summary>
    /// Report verdict, before the known-deviation registry is consulted: invalid scenario, vacuous, control failed; value
    /// claims need the paper's scale (at paper scale the registry gives them equivalence checks against the paper's numbers
    /// with the catalog's value δ, <see cref="PaperComparison"/>; without one they stay unresolved); judged claims are reproduced when every check holds,
    /// deviate when a check is contradicted after Holm, and are unresolved at this scale otherwise.
    /// </summary>
    public string Verdict(string scale) =>
        Invalid ? Verdicts.Invalid
        : Vacuous ? Verdicts.Vacuous
        : ControlFailed ? Verdicts.ControlFailed
        : Checks.Count == 0 ? (scale == "paper" ? Verdicts.Unresolved : Verdicts.NeedsPaperScale)
        : Holds ? Verdicts.Reproduced
        : Contradicted().Count > 0 ? Verdicts.Deviates
        : Verdicts.Unresolved;

    /// <summary>The failing and unresolved checks first, then the rest, and the controls: the text a failing or skipped theory and a report row show.</summary>
    public string Explain(string scale = "ci") => $"{Claim} [{Variant}] {Verdict(scale)}:\n" +
                               string.Join("\n", Checks.OrderBy(c => c.Decision == Decision.Holds).ThenBy(c => c.Decision != Decision.Contradicted).Select(c => "  " + c)) +
                               string.Concat(Controls.Select(c => $"\n  control {c.Name}: {(c.Passes ? "passes" : "fails")} the checks ({c.Summary})"));

    /// <summary>A short "ours" cell: the contradicted checks, else the unresolved ones, else the values.</summary>
    public string Summary()
    {
        var contradicted = Checks.Where(c => c.Decision == Decision.Contradicted).ToList();
        if (contradicted.Count > 0) return string.Join("; ", contradicted.Select(c => "✗ " + c.Text));
        var open = Checks.Where(c => c.Decision == Decision.Unresolved).ToList();
        if (open.Count > 0) return string.Join("; ", open.Select(c => "? " + c.Text + (c.Resolution.Length > 0 ? " — " + c.Resolution : "")));
        if (Checks.Count > 0 && Values.Count == 0) return string.Join("; ", Checks.Select(c => c.Text));
        return string.Join("; ", Values.Select(v => $"{v.Key} {Fmt(v.Value.Value)}"));
    }

    /// <summary>The paper's numbers among the values, "key value; …".</summary>
    public string PaperSummary() => string.Join("; ", Values.Where(v => v.Value.Paper != null).Select(v => $"{v.Key} {Fmt(v.Value.Paper!.Value)}"));

    private static string Fmt(double v) => v.ToString(Math.Abs(v) >= 10 ? "0.00" : "0.0000", CultureInfo.InvariantCulture);
}

/// <summary>
/// A control run through a variant's checks: <see cref="Negative"/> — the untouched model (None) in place of the method,
/// which must not pass; otherwise a positive control (the retrained model where the claim says "as good as retraining"),
/// which must pass.
/// </summary>
public sealed record ControlResult(string Name, bool Negative, bool Passes, bool Contradicted, string Summary);
