using System.Globalization;
using MathNet.Numerics.Distributions;

namespace Unlearning.Claims;

/// <summary>
/// A measured difference a − b with the standard error of its estimate and the noise it comes from. <see cref="Df"/> is the
/// degrees of freedom of a Student-t interval (means over runs); null means a normal interval (test-set and bootstrap
/// noise, many samples). <see cref="Samples"/> is what the standard error shrinks with — test samples or runs — so a row can
/// say how many would resolve the check.
/// </summary>
public sealed record Difference(double Estimate, double StdError, double? Df, string Noise, int Samples, string SampleUnit)
{
    /// <summary>The two-sided interval at <paramref name="level"/> (0.95, or 0.90 for an equivalence test).</summary>
    public (double Lower, double Upper) Interval(double level)
    {
        double q = Quantile(0.5 + level / 2);
        return (Estimate - q * StdError, Estimate + q * StdError);
    }

    /// <summary>The standard-normal or Student-t quantile of this difference's noise.</summary>
    public double Quantile(double p) =>
        StdError == 0 ? 0 : Df is { } df ? StudentT.InvCDF(0, 1, Math.Max(df, 1), p) : Normal.InvCDF(0, 1, p);

    /// <summary>P(T ≥ t) for the noise's reference distribution.</summary>
    public double UpperTail(double t) => Df is { } df ? 1 - StudentT.CDF(0, 1, Math.Max(df, 1), t) : 1 - Normal.CDF(0, 1, t);

    /// <summary>
    /// How many samples (in <see cref="SampleUnit"/>) would put the 95% interval clear of <paramref name="boundary"/> with 80%
    /// power if the true difference were this estimate: n·((z₀.₉₇₅ + z₀.₈)·SE / |estimate − boundary|)². Null when the
    /// estimate sits on the boundary or there is no noise.
    /// </summary>
    public int? SamplesToResolve(double boundary)
    {
        double gap = Math.Abs(Estimate - boundary);
        if (StdError == 0 || gap < 1e-12 || Samples <= 0) return null;
        double k = (Normal.InvCDF(0, 1, 0.975) + Normal.InvCDF(0, 1, 0.8)) * StdError / gap;
        double n = Samples * k * k;
        return n > int.MaxValue / 2.0 ? null : (int)Math.Ceiling(n);
    }

    /// <summary>The same difference with the opposite sign (b − a).</summary>
    public Difference Negated() => this with { Estimate = -Estimate };

    /// <summary>
    /// A selection-aware interval for "the best of <paramref name="k"/> configurations" against a reference: the standard error
    /// is widened so that the 95% interval is the Bonferroni-simultaneous one over the k candidates (level 1 − 0.05/k), which
    /// covers the selected best whichever it is.
    /// </summary>
    public Difference BestOf(int k)
    {
        if (k <= 1 || StdError == 0) return this;
        double widen = Quantile(1 - 0.025 / k) / Quantile(0.975);
        return this with { StdError = StdError * widen, Noise = Noise + $", best of {k}: Bonferroni-simultaneous" };
    }

    /// <summary>A deterministic difference (counts, exact bounds): no noise, an interval of one point.</summary>
    public static Difference Exact(double a, double b) => new(a - b, 0, null, "exact (no sampling noise)", 0, "");

    /// <summary>
    /// Two models scored on the same test samples: the paired (McNemar) standard error of the accuracy difference from the
    /// per-sample disagreements, Var(d̂) = ((n₁₀ + n₀₁)/n − d̂²)/n (at least one disagreement's worth), scaled by <paramref name="scale"/> (100 for points,
    /// or 100/c for a healed share of a clean model's accuracy c).
    /// </summary>
    public static Difference Paired(bool[] a, bool[] b, double scale = 100, string? what = null)
    {
        if (a.Length != b.Length || a.Length == 0)
            throw new ArgumentException($"paired accuracies: need per-sample outcomes on the same samples, got {a.Length} and {b.Length}");
        int n = a.Length, ab = 0, ba = 0;
        for (int i = 0; i < n; i++)
        {
            if (a[i] && !b[i]) ab++;
            else if (b[i] && !a[i]) ba++;
        }
        double d = (double)(ab - ba) / n;
        // No disagreement on n samples does not make two models equal, only indistinguishable here: the variance is taken
        // with at least one disagreement, so a tie is unresolved rather than exactly decided.
        double variance = Math.Max(((double)Math.Max(ab + ba, 1) / n - d * d) / n, 1.0 / ((double)n * n));
        return new(scale * d, scale * Math.Sqrt(variance), null,
            $"paired (McNemar) over {n.ToString("N0", CultureInfo.InvariantCulture)} {what ?? "test samples"}, {ab + ba} disagreeing", n, what ?? "test samples");
    }

    /// <summary>One accuracy on <paramref name="n"/> samples against a constant: its binomial standard error.</summary>
    public static Difference AgainstConstant(double accuracy, int n, double constant, double scale = 100)
    {
        double p = Math.Clamp(accuracy, 0.5 / n, 1 - 0.5 / n);
        return new(scale * accuracy - constant, scale * Math.Sqrt(p * (1 - p) / n), null,
            $"binomial over {n.ToString("N0", CultureInfo.InvariantCulture)} test samples", n, "test samples");
    }

    /// <summary>
    /// Means over runs that share the base model, the forget set and the seeds run by run: Student-t on the per-run
    /// differences a[r] − b[r] with runs − 1 degrees of freedom. The interval is conditional on that one base model and draw.
    /// </summary>
    public static Difference PairedRuns(IReadOnlyList<double> a, IReadOnlyList<double> b, string? conditional = null)
    {
        if (a.Count != b.Count || a.Count < 2) throw new ArgumentException($"paired runs: need two or more runs of each, got {a.Count} and {b.Count}");
        var d = a.Zip(b, (x, y) => x - y).ToArray();
        return new(d.Average(), Metrics.SampleStatistics.Std(d) / Math.Sqrt(d.Length), d.Length - 1,
            $"paired t over {d.Length} runs{Conditional(conditional)}", d.Length, "runs");
    }

    /// <summary>A mean over runs against one fixed value (e.g. the one Gold model): one-sample t with runs − 1 degrees of freedom.</summary>
    public static Difference RunsAgainst(IReadOnlyList<double> a, double b, string? conditional = null)
    {
        if (a.Count < 2) throw new ArgumentException($"runs against a value: need two or more runs, got {a.Count}");
        return new(a.Average() - b, Metrics.SampleStatistics.Std(a) / Math.Sqrt(a.Count), a.Count - 1,
            $"t over {a.Count} runs{Conditional(conditional)}", a.Count, "runs");
    }

    /// <summary>Means over independent runs (different requests or draws): Welch's t with Welch–Satterthwaite degrees of freedom.</summary>
    public static Difference Welch(IReadOnlyList<double> a, IReadOnlyList<double> b, string? conditional = null)
    {
        if (a.Count < 2 || b.Count < 2) throw new ArgumentException($"Welch: need two or more runs of each, got {a.Count} and {b.Count}");
        double va = Math.Pow(Metrics.SampleStatistics.Std(a), 2) / a.Count, vb = Math.Pow(Metrics.SampleStatistics.Std(b), 2) / b.Count;
        double se = Math.Sqrt(va + vb);
        double df = se == 0 ? a.Count + b.Count - 2 : (va + vb) * (va + vb) / (va * va / (a.Count - 1) + vb * vb / (b.Count - 1));
        return new(a.Average() - b.Average(), se, df, $"Welch t over {a.Count} + {b.Count} runs{Conditional(conditional)}", Math.Min(a.Count, b.Count), "runs");
    }

    /// <summary>A difference of two estimates with independent normal noise (standard errors add in quadrature).</summary>
    public static Difference Independent(double a, double seA, double b, double seB, string noise, int samples, string unit) =>
        new(a - b, Math.Sqrt(seA * seA + seB * seB), null, noise, samples, unit);

    /// <summary>The mean of several differences measured on shared test data (correlation unknown): the standard error is
    /// bounded by the mean of theirs (Cauchy–Schwarz), so the interval is conservative.</summary>
    public static Difference MeanOf(IReadOnlyList<Difference> parts, string what)
    {
        if (parts.Count == 0) throw new ArgumentException("mean of no differences");
        return new(parts.Average(p => p.Estimate), parts.Average(p => p.StdError), null,
            $"mean over {parts.Count} {what}, SE bounded by the mean of theirs ({parts[0].Noise})", parts[0].Samples, parts[0].SampleUnit);
    }

    /// <summary>
    /// The difference of two samples' medians with a bootstrap standard error: each sample resampled with replacement
    /// <paramref name="resamples"/> times from a fixed seed, the spread of the resampled differences.
    /// </summary>
    public static Difference BootstrapMedians(double[] a, double[] b, int resamples = 2000, int seed = 17)
    {
        if (a.Length == 0 || b.Length == 0) throw new ArgumentException($"bootstrap of medians: empty sample ({a.Length}, {b.Length})");
        var random = new Random(seed);
        double Median(double[] v) { var s = v.Order().ToArray(); return s[s.Length / 2]; }
        double[] Resample(double[] v) { var r = new double[v.Length]; for (int i = 0; i < r.Length; i++) r[i] = v[random.Next(v.Length)]; return r; }
        var diffs = new double[resamples];
        for (int k = 0; k < resamples; k++) diffs[k] = Median(Resample(a)) - Median(Resample(b));
        return new(Median(a) - Median(b), Metrics.SampleStatistics.Std(diffs), null, $"bootstrap over {a.Length} + {b.Length} samples ({resamples} resamples)",
            Math.Min(a.Length, b.Length), "samples");
    }

    /// <summary>
    /// The difference in points of two AUC estimates on the same samples, a − b, with a paired bootstrap standard error:
    /// the positives and the negatives are resampled with replacement <paramref name="resamples"/> times from a fixed seed,
    /// the same draw for every score set, and each side's estimate — the mean of <paramref name="auc"/> (in points) over its
    /// score sets (runs) — recomputed on it. Every set of both sides must score the same samples in the same order. With
    /// <paramref name="b"/> empty, a is compared with <paramref name="constant"/>.
    /// </summary>
    public static Difference BootstrapAucs(IReadOnlyList<Metrics.ScoreSets> a, IReadOnlyList<Metrics.ScoreSets> b, Func<double[], double[], double> auc,
        double constant = 0, int resamples = 1000, int seed = 23)
    {
        if (a.Count == 0) throw new ArgumentException("bootstrap of AUCs: no score sets");
        int m = a[0].Members.Length, n = a[0].NonMembers.Length;
        if (a.Concat(b).Any(s => s.Members.Length != m || s.NonMembers.Length != n))
            throw new ArgumentException($"bootstrap of AUCs: every score set must score the same {m} members and {n} non-members");
        double Estimate(IReadOnlyList<Metrics.ScoreSets> sets, int[]? pi, int[]? ni)
        {
            if (sets.Count == 0) return constant;
            double sum = 0;
            foreach (var s in sets)
                sum += pi == null ? auc(s.Members, s.NonMembers) : auc(Pick(s.Members, pi), Pick(s.NonMembers, ni!));
            return sum / sets.Count;
        }
        var random = new Random(seed);
        var diffs = new double[resamples];
        for (int k = 0; k < resamples; k++)
        {
            var pi = new int[m];
            var ni = new int[n];
            for (int i = 0; i < m; i++) pi[i] = random.Next(m);
            for (int i = 0; i < n; i++) ni[i] = random.Next(n);
            diffs[k] = Estimate(a, pi, ni) - Estimate(b, pi, ni);
        }
        return new(Estimate(a, null, null) - Estimate(b, null, null), Metrics.SampleStatistics.Std(diffs), null,
            $"paired bootstrap over {m} + {n} samples ({resamples} resamples{(a.Count + b.Count > 2 ? $", {a.Count} + {b.Count} score sets" : "")})", Math.Min(m, n), "samples per set");
    }

    private static double[] Pick(double[] values, int[] at)
    {
        var r = new double[at.Length];
        for (int i = 0; i < at.Length; i++) r[i] = values[at[i]];
        return r;
    }

    /// <summary>Hanley &amp; McNeil (1982): the standard error of an AUC θ on m positives and n negatives.</summary>
    public static double AucStdError(double theta, int m, int n)
    {
        theta = Math.Clamp(theta, 1e-6, 1 - 1e-6);
        double q1 = theta / (2 - theta), q2 = 2 * theta * theta / (1 + theta);
        double v = (theta * (1 - theta) + (m - 1) * (q1 - theta * theta) + (n - 1) * (q2 - theta * theta)) / ((double)m * n);
        return Math.Sqrt(Math.Max(v, 0));
    }

    private static string Conditional(string? c) => c == null ? "" : $", conditional on {c}";
}
