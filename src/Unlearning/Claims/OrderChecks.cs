using System.Globalization;

namespace Unlearning.Claims;

/// <summary>The kind of a check, which fixes its decision rule (README, "Verdicts").</summary>
public enum CheckKind
{
    /// <summary>"a − b &gt; β" (β = 0 for "a &gt; b", β &gt; 0 for the papers' "≫"): holds when the 95% interval lies above β, contradicted when below.</summary>
    Order,
    /// <summary>"a ≥ b − δ": holds when the 95% interval's lower bound exceeds −δ, contradicted when its upper bound is below −δ.</summary>
    NonInferiority,
    /// <summary>"|a − b| ≤ δ" by two one-sided tests: holds when the 90% interval lies inside ±δ, contradicted when the 95% interval lies outside it.</summary>
    Equivalence,
    /// <summary>The scenario's precondition (an order rule): a scenario that fails it cannot test the claim, and the claim is invalid there.</summary>
    Validity,
}

/// <summary>What the data say about one check.</summary>
public enum Decision
{
    /// <summary>The interval lies on the claim's side.</summary>
    Holds,
    /// <summary>The interval lies on the other side.</summary>
    Contradicted,
    /// <summary>The interval straddles the boundary.</summary>
    Unresolved,
}

/// <summary>
/// One judged comparison with its numbers: the difference a − b, its 95% interval from the noise named in
/// <see cref="Noise"/>, the boundary of the claim (β, or ±δ), the <see cref="Decision"/> and, for the claim's Holm
/// correction, <see cref="PContradiction"/> — the one-sided p-value of "the claim's side holds" (small when the data
/// contradict it). <see cref="Undecidable"/>: the interval is wider than what the check must resolve (an equivalence margin
/// narrower than the 90% half-width, or the paper's gap narrower than the 95% half-width) — no outcome at this scale could
/// decide it.
/// </summary>
public sealed record Check(CheckKind Kind, string Text, Decision Decision, double Estimate, double Lower, double Upper, double Bound, string Noise,
    double PContradiction, bool Undecidable = false, string Resolution = "")
{
    /// <summary>The check holds.</summary>
    public bool Holds => Decision == Decision.Holds;

    /// <summary>✓ holds, ✗ contradicted, ? unresolved.</summary>
    public string Mark => Decision switch { Decision.Holds => "✓", Decision.Contradicted => "✗", _ => "?" };

    /// <inheritdoc />
    public override string ToString() => Mark + " " + Text + (Resolution.Length > 0 ? "; " + Resolution : "");
}

/// <summary>
/// Builds a claim's checks, each from a <see cref="Difference"/> with its interval, by one stated rule per
/// <see cref="CheckKind"/> (no per-claim knobs): order, non-inferiority, equivalence (TOST) and validity. The rules are the
/// README's verdict legend.
/// </summary>
public sealed class OrderChecks
{
    private readonly List<Check> _checks = [];

    /// <summary>The checks so far.</summary>
    public IReadOnlyList<Check> Checks => _checks;

    /// <summary>"a &gt; b + <paramref name="by"/>" (the papers' "≫" when <paramref name="by"/> &gt; 0); <paramref name="paperGap"/>, when the paper gives the gap, marks a check this scale cannot resolve.</summary>
    public OrderChecks Above(string what, double a, string vs, double b, Difference d, double by = 0, double? paperGap = null) =>
        Add(CheckKind.Order, what, a, vs, b, d, by, paperGap);

    /// <summary>"a ≥ b − δ": a tolerance claim (heals fully, costs no accuracy, comes near Gold within δ).</summary>
    public OrderChecks NoLowerThan(string what, double a, string vs, double b, Difference d, double delta) =>
        Add(CheckKind.NonInferiority, what, a, vs, b, d, -delta, null);

    /// <summary>"|a − b| ≤ δ", by two one-sided tests on the 90% interval.</summary>
    public OrderChecks Close(string what, double a, string vs, double b, Difference d, double delta) =>
        Add(CheckKind.Equivalence, what, a, vs, b, d, delta, null);

    /// <summary>The scenario's precondition "a &gt; b + <paramref name="by"/>": if it does not hold, the claim is invalid at this scenario.</summary>
    public OrderChecks Valid(string what, double a, string vs, double b, Difference d, double by = 0) =>
        Add(CheckKind.Validity, "scenario valid: " + what, a, vs, b, d, by, null);

    /// <summary>
    /// "At least <paramref name="needed"/> of the cells hold" (the papers' "in most cells"): holds when that many of
    /// <paramref name="cells"/> hold, contradicted when so many are contradicted that <paramref name="needed"/> can no longer
    /// hold, unresolved otherwise. The cells' own texts are kept in this check's text.
    /// </summary>
    public OrderChecks Most(string what, IReadOnlyList<Check> cells, int needed)
    {
        int holds = cells.Count(c => c.Holds), contradicted = cells.Count(c => c.Decision == Decision.Contradicted);
        var decision = holds >= needed ? Decision.Holds : cells.Count - contradicted < needed ? Decision.Contradicted : Decision.Unresolved;
        string text = $"{what} in {holds} of {cells.Count} cells, {contradicted} contradicted ({needed} needed): " + string.Join(" | ", cells.Select(c => c.ToString()));
        return AddCheck(new Check(CheckKind.Order, text, decision, holds, holds, cells.Count - contradicted, needed, "per cell, as stated", decision == Decision.Contradicted ? 0 : 1));
    }

    /// <summary>Adds a check judged elsewhere (e.g. a count over cells), with its own text; decided exactly.</summary>
    public OrderChecks Count(bool holds, string text) =>
        AddCheck(new Check(CheckKind.Order, text, holds ? Decision.Holds : Decision.Contradicted, holds ? 1 : -1, holds ? 1 : -1, holds ? 1 : -1, 0,
            "exact (a count)", holds ? 1 : 0));

    /// <summary>Adds an already judged check.</summary>
    public OrderChecks AddCheck(Check c)
    {
        _checks.Add(c);
        return this;
    }

    /// <summary>Judges one check by its kind's rule.</summary>
    public static Check Judge(CheckKind kind, string text, Difference d, double bound, double? paperGap = null)
    {
        double est = d.Estimate;
        var (lo, hi) = d.Interval(0.95);
        Decision decision;
        double p;
        bool undecidable = false;
        double boundary = bound;
        string rule;
        if (d.StdError == 0)
        {
            bool holds = kind switch
            {
                CheckKind.NonInferiority => est >= bound,
                CheckKind.Equivalence => Math.Abs(est) <= bound,
                _ => est > bound,
            };
            decision = holds ? Decision.Holds : Decision.Contradicted;
            p = holds ? 1 : 0;
            string relation = kind switch
            {
                CheckKind.Equivalence => holds ? "≤" : ">",
                CheckKind.NonInferiority => holds ? "≥" : "<",
                _ => holds ? ">" : "≤",
            };
            rule = kind == CheckKind.Equivalence ? $"|difference| {F(Math.Abs(est))} {relation} {F(bound)}" : $"difference {Signed(est)} {relation} {F(bound)}";
            return new Check(kind, $"{text}: {rule}, exactly ({(holds ? "holds" : "contradicted")})", decision, est, est, est, bound, d.Noise, p);
        }
        switch (kind)
        {
            case CheckKind.Equivalence:
            {
                var (lo90, hi90) = d.Interval(0.90);
                decision = lo90 > -bound && hi90 < bound ? Decision.Holds : lo > bound || hi < -bound ? Decision.Contradicted : Decision.Unresolved;
                p = d.UpperTail((Math.Abs(est) - bound) / d.StdError); // small when |estimate| lies far outside ±δ
                undecidable = (hi90 - lo90) / 2 >= bound;
                boundary = est >= 0 ? bound : -bound;
                rule = decision switch
                {
                    Decision.Holds => $"the 90% interval [{F(lo90)}, {F(hi90)}] lies inside ±{F(bound)}",
                    Decision.Contradicted => $"the 95% interval lies outside ±{F(bound)}",
                    _ => $"the 90% interval [{F(lo90)}, {F(hi90)}] is not inside ±{F(bound)}",
                };
                break;
            }
            default:
            {
                decision = lo > bound ? Decision.Holds : hi < bound ? Decision.Contradicted : Decision.Unresolved;
                p = 1 - d.UpperTail((est - bound) / d.StdError); // P(T ≤ t): small when the estimate lies far below β
                if (paperGap is { } g && (hi - lo) / 2 > Math.Abs(g - bound)) undecidable = true;
                rule = decision switch
                {
                    Decision.Holds => $"the interval lies above {F(bound)}",
                    Decision.Contradicted => $"the interval lies below {F(bound)}",
                    _ => $"the interval straddles {F(bound)}",
                };
                break;
            }
        }
        string verdict = decision switch { Decision.Holds => "holds", Decision.Contradicted => "contradicted", _ => "unresolved" };
        string full = $"{text}: difference {Signed(est)}, 95% [{F(lo)}, {F(hi)}] ({d.Noise}); {verdict} ({rule})";
        string resolution = "";
        if (decision == Decision.Unresolved)
        {
            string lean = kind == CheckKind.Equivalence ? (Math.Abs(est) <= bound ? "leans equivalent" : "leans different")
                : est > bound ? "leans the claim's way" : "leans against the claim";
            int? need = d.SamplesToResolve(boundary);
            resolution = lean + (need is { } n ? $"; ≈ {n.ToString("N0", CultureInfo.InvariantCulture)} {d.SampleUnit} would resolve it at 80% power" : "")
                         + (undecidable ? "; undecidable at this scale (the interval is wider than what it must resolve)" : "");
        }
        return new Check(kind, full, decision, est, lo, hi, bound, d.Noise, p, undecidable, resolution);
    }

    private OrderChecks Add(CheckKind kind, string what, double a, string vs, double b, Difference d, double bound, double? paperGap)
    {
        string relation = kind switch
        {
            CheckKind.Equivalence => "≈",
            CheckKind.NonInferiority => "≥",
            _ => ">",
        };
        string rhs = kind switch
        {
            CheckKind.NonInferiority when bound != 0 => $"{vs} {F(b)} − {F(-bound)}",
            CheckKind.Equivalence => $"{vs} {F(b)} within ±{F(bound)}",
            _ when bound > 0 => $"{vs} {F(b)} + {F(bound)}",
            _ when bound < 0 => $"{vs} {F(b)} − {F(-bound)}",
            _ => $"{vs} {F(b)}",
        };
        return AddCheck(Judge(kind, $"{what} {F(a)} {relation} {rhs}", d, bound, paperGap));
    }

    private static string F(double v) => v.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Signed(double v) => (v >= 0 ? "+" : "") + F(v);
}
