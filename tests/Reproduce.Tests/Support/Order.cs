using System.Globalization;
using Xunit.Sdk;

namespace Reproduce.Tests.Support;

/// <summary>
/// Order claims judged against measurement noise. "a ≥ b" holds when a ≥ b − margin, where the margin is two standard
/// errors of the difference of two accuracies on the same n test samples (a fixed, stated rule — not a per-claim knob).
/// All comparisons of a claim are checked and reported together, with their numbers.
/// </summary>
public sealed class Order(string claim)
{
    private readonly List<string> _lines = [];
    private bool _failed;

    /// <summary>Two standard errors of a difference of two accuracies near <paramref name="p"/> on <paramref name="n"/> samples, in percentage points.</summary>
    public static double NoiseMargin(double p, int n) => 100 * 2 * Math.Sqrt(2 * Math.Clamp(p, 0.01, 0.99) * (1 - Math.Clamp(p, 0.01, 0.99)) / n);

    /// <summary>Records "<paramref name="a"/> ≥ <paramref name="b"/> (within <paramref name="margin"/>)".</summary>
    public Order AtLeast(string what, double a, string vs, double b, double margin) =>
        Add(a >= b - margin, $"{what} {F(a)} ≥ {vs} {F(b)} (margin {F(margin)})");

    /// <summary>Records "<paramref name="a"/> exceeds <paramref name="b"/> by at least <paramref name="gap"/>" (the papers' "≫").</summary>
    public Order ClearlyAbove(string what, double a, string vs, double b, double gap) =>
        Add(a >= b + gap, $"{what} {F(a)} ≥ {vs} {F(b)} + {F(gap)}");

    /// <summary>Records a strict "a &gt; b".</summary>
    public Order Above(string what, double a, string vs, double b) => Add(a > b, $"{what} {F(a)} > {vs} {F(b)}");

    /// <summary>Fails with every comparison and its numbers if any does not hold.</summary>
    public void Assert()
    {
        if (_failed) throw new XunitException($"{claim} does not hold:\n" + string.Join("\n", _lines));
    }

    private Order Add(bool ok, string line)
    {
        _failed |= !ok;
        _lines.Add((ok ? "  ✓ " : "  ✗ ") + line);
        return this;
    }

    private static string F(double v) => v.ToString("0.00", CultureInfo.InvariantCulture);
}
