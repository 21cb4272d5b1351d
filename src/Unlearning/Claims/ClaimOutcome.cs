using System.Globalization;
using Unlearning.Reporting;

namespace Unlearning.Claims;

/// <summary>
/// One judged comparison of an order or trend claim, with its numbers in <see cref="Text"/>. <see cref="WithinNoise"/>:
/// it holds only through the noise margin — the measured order is the other way round, by less than the margin.
/// </summary>
public sealed record Check(string Text, bool Holds, bool WithinNoise = false)
{
    /// <summary>✓ holds, ≈ holds within the noise margin only, ✗ does not hold.</summary>
    public string Mark => !Holds ? "✗" : WithinNoise ? "≈" : "✓";

    /// <inheritdoc />
    public override string ToString() => Mark + " " + Text;
}

/// <summary>A measured number, the tolerance its snapshot is pinned with, and the paper's number where it has one.</summary>
public sealed record Measured(double Value, double Tolerance, double? Paper = null);

/// <summary>A figure a claim produces for the report: line series, rendered to PNG by the report writer.</summary>
public sealed record FigureData(string File, string Title, string XLabel, string YLabel, IReadOnlyList<Series> Series);

/// <summary>
/// What running one variant of a claim produced: the checks (order/trend/invariant claims) or none (value claims, shown
/// beside the paper's numbers), the measured values (pinned as snapshots by the tests, tabulated by the report), the
/// figures, and a note. The tests and <c>reproduce run</c> read the same outcome.
/// </summary>
public sealed record ClaimOutcome(string Claim, string Variant, IReadOnlyList<Check> Checks, IReadOnlyDictionary<string, Measured> Values,
    string Note, double Seconds, IReadOnlyList<FigureData> Figures)
{
    /// <summary>True when every check holds (a value claim without checks holds vacuously).</summary>
    public bool Holds => Checks.All(c => c.Holds);

    /// <summary>The failing checks first, then the rest: the text a failing theory and a "deviates" row show.</summary>
    public string Explain() => $"{Claim} [{Variant}] " + (Holds ? "holds" : "does not hold") + ":\n" +
                               string.Join("\n", Checks.OrderBy(c => c.Holds).Select(c => "  " + c));

    /// <summary>
    /// Report verdict: value claims off paper scale need the paper's scale; judged claims deviate when a check fails, hold
    /// "within noise" when some check holds only through its noise margin, and are reproduced otherwise.
    /// </summary>
    public string Verdict(string scale) =>
        Checks.Count == 0 ? (scale == "paper" ? Verdicts.Reproduced : Verdicts.NeedsPaperScale)
        : !Holds ? Verdicts.Deviates
        : Checks.Any(c => c.WithinNoise) ? Verdicts.WithinNoise
        : Verdicts.Reproduced;

    /// <summary>A short "ours" cell: the failing checks, else the values.</summary>
    public string Summary()
    {
        if (!Holds) return string.Join("; ", Checks.Where(c => !c.Holds).Select(c => "✗ " + c.Text));
        if (Checks.Any(c => c.WithinNoise)) return string.Join("; ", Checks.Where(c => c.WithinNoise).Select(c => "≈ " + c.Text));
        if (Checks.Count > 0 && Values.Count == 0) return string.Join("; ", Checks.Select(c => c.Text));
        return string.Join("; ", Values.Select(v => $"{v.Key} {Fmt(v.Value.Value)}"));
    }

    /// <summary>The paper's numbers among the values, "key value; …".</summary>
    public string PaperSummary() => string.Join("; ", Values.Where(v => v.Value.Paper != null).Select(v => $"{v.Key} {Fmt(v.Value.Paper!.Value)}"));

    private static string Fmt(double v) => v.ToString(Math.Abs(v) >= 10 ? "0.00" : "0.0000", CultureInfo.InvariantCulture);
}
