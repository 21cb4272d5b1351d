using System.Globalization;

namespace Unlearning.Claims;

/// <summary>
/// Builds the checks of an order or trend claim against measurement noise. "a ≥ b" holds when a ≥ b − margin, where
/// the margin comes from <see cref="NoiseMargin"/> (two standard errors of a difference of two accuracies on the same
/// n test samples) — a fixed, stated rule, not a per-claim knob. Every comparison is kept with its numbers. An order
/// check (<see cref="AtLeast"/>) that holds only through the margin (a &lt; b) is marked <see cref="Check.WithinNoise"/>,
/// which the report's verdict shows; the tolerance forms (<see cref="NoLowerThan"/>, <see cref="Close"/>) never are.
/// </summary>
public sealed class OrderChecks
{
    private readonly List<Check> _checks = [];

    /// <summary>The checks so far.</summary>
    public IReadOnlyList<Check> Checks => _checks;

    /// <summary>Two standard errors of a difference of two accuracies near <paramref name="p"/> on <paramref name="n"/> samples, in percentage points.</summary>
    public static double NoiseMargin(double p, int n) => 100 * 2 * Math.Sqrt(2 * Math.Clamp(p, 0.01, 0.99) * (1 - Math.Clamp(p, 0.01, 0.99)) / n);

    /// <summary>
    /// The same rule for means over independent runs: two standard errors of the mean of the paired differences
    /// <c>a[r] − b[r]</c> (sample standard deviation over the runs, divided by √runs), in the units of the values.
    /// </summary>
    public static double PairedMargin(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        if (a.Count != b.Count || a.Count < 2) throw new ArgumentException($"paired margin: need two or more runs of each value, got {a.Count} and {b.Count}");
        var d = a.Zip(b, (x, y) => x - y).ToArray();
        return 2 * Metrics.SampleStatistics.Std(d) / Math.Sqrt(d.Length);
    }

    /// <summary>"<paramref name="a"/> ≥ <paramref name="b"/>" within <paramref name="margin"/>.</summary>
    public OrderChecks AtLeast(string what, double a, string vs, double b, double margin) =>
        Add(a >= b - margin, $"{what} {F(a)} ≥ {vs} {F(b)} (margin {F(margin)})", withinNoise: a < b);

    /// <summary>
    /// "<paramref name="a"/> does not fall below <paramref name="b"/> by more than the noise": a tolerance claim (heals
    /// fully, costs no accuracy, comes near Gold), so holding within the margin is what the claim says, not a
    /// reversed order.
    /// </summary>
    public OrderChecks NoLowerThan(string what, double a, string vs, double b, double margin) =>
        Add(a >= b - margin, $"{what} {F(a)} ≥ {vs} {F(b)} − {F(margin)} (noise margin)");

    /// <summary>"<paramref name="a"/> ≈ <paramref name="b"/>": they differ by at most <paramref name="margin"/>.</summary>
    public OrderChecks Close(string what, double a, string vs, double b, double margin) =>
        Add(Math.Abs(a - b) <= margin, $"{what} {F(a)} ≈ {vs} {F(b)} (|difference| {F(Math.Abs(a - b))} ≤ margin {F(margin)})");

    /// <summary>"<paramref name="a"/> exceeds <paramref name="b"/> by at least <paramref name="gap"/>" (the papers' "≫").</summary>
    public OrderChecks ClearlyAbove(string what, double a, string vs, double b, double gap) =>
        Add(a >= b + gap, $"{what} {F(a)} ≥ {vs} {F(b)} + {F(gap)}");

    /// <summary>A strict "a &gt; b".</summary>
    public OrderChecks Above(string what, double a, string vs, double b) => Add(a > b, $"{what} {F(a)} > {vs} {F(b)}");

    /// <summary>A stated condition with its own text.</summary>
    public OrderChecks That(bool holds, string text) => Add(holds, text);

    private OrderChecks Add(bool ok, string line, bool withinNoise = false)
    {
        _checks.Add(new Check(line, ok, ok && withinNoise));
        return this;
    }

    private static string F(double v) => v.ToString("0.00", CultureInfo.InvariantCulture);
}
