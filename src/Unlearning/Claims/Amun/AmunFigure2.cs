using Unlearning.Reporting;
using Unlearning.Scenarios;

namespace Unlearning.Claims;

/// <summary>
/// AMUN Fig. 2 (§6.3, A.F2.continuous): over 5 consecutive requests of 2% each, AMUN-A (D_A recomputed per request) ≥ AMUN
/// (D_A computed once on the original model) ≥ every other method on FR AUC − FT AUC, compared on the mean over requests
/// within the noise of an AUC difference on the final forget set; and App. H: "the effectiveness of unlearning decreases
/// with the number of unlearning requests" — AMUN-A's and AMUN's gap after the first request above after the fifth, each
/// with the noise of its own forget set so far. The per-request series are values and a figure.
/// </summary>
public sealed class AmunFigure2(AmunFixture f) : IClaimGroup
{
    /// <inheritdoc />
    public IEnumerable<ClaimVariant> Variants =>
    [
        new("A.F2.continuous", "with D_R, 5 × 2%", () => Continuous(RetainAccess.WithRetain)),
        new("A.F2.continuous", "D_F only, 5 × 2%", () => Continuous(RetainAccess.ForgetOnly)),
    ];

    private Finding Continuous(RetainAccess access)
    {
        var (o, values) = f.Valid(0.1);
        var e = f.Experiment;
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
        foreach (var m in new[] { AmunExperiment.AdaptiveAmun, "AMUN" }.Where(runs.ContainsKey))
        {
            var gap = runs[m].Gap;
            int first = Math.Max(1, n / gap.Length);
            o.Above($"{m} FR − FT AUC after request 1", gap[0], $"after request {gap.Length}", gap[^1],
                Difference.Independent(gap[0], GapError(first), gap[^1], GapError(n), $"two AUC gaps' Hanley–McNeil SE over {first} and {n} forget samples", first, "forget samples"));
        }
        foreach (var (m, run) in runs)
        {
            values[$"{m}.mean_gap"] = Measured.WithError(Mean(m), GapError(n));
            for (int q = 0; q < run.Gap.Length; q++) values[$"{m}.gap@{q + 1}"] = Measured.WithError(run.Gap[q], GapError(Math.Max(1, n * (q + 1) / run.Gap.Length)));
        }
        string tag = access == RetainAccess.WithRetain ? "with-dr" : "df-only";
        return Finding.Of(o, values,
            "rates as tuned for the 10% forget share (no new tuning, as in the paper); " + string.Join(", ", runs.Values.Select(r => $"{r.Method} {r.LearningRate:G2}")),
            new FigureData($"amun-fig2-{tag}.png", $"AMUN Fig. 2 (ci): consecutive requests, {(access == RetainAccess.WithRetain ? "with D_R" : "D_F only")}",
                "request", "FR AUC − FT AUC (%)",
                runs.Values.Select(r => new Series(r.Method, Enumerable.Range(1, r.Gap.Length).Select(i => (double)i).ToArray(), r.Gap)).ToArray()));
    }
}
