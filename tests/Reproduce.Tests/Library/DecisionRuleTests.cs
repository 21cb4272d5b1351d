using Reproduce.Tests.Support;
using Unlearning.Claims;
using Unlearning.Reporting;
using Xunit;

namespace Reproduce.Tests.Library;

/// <summary>
/// The decision rules of the checks (README, "Verdicts"): intervals from the right noise, one rule per kind of check, a
/// Holm correction over a claim's checks, and the claim-level verdicts (invalid, vacuous, reproduced, deviates, unresolved).
/// </summary>
[Scale("unit")]
public class DecisionRuleTests
{
    private static bool[] Outcomes(int n, Func<int, bool> correct) => Enumerable.Range(0, n).Select(correct).ToArray();

    [Fact]
    public void Paired_accuracies_use_the_disagreements_not_the_binomial_of_each()
    {
        // 1,000 samples; a right and b wrong on 30, b right and a wrong on 10: d = 2 pp, Var = (0.04 − 0.02²)/1000.
        var a = Outcomes(1000, i => i >= 10 && i < 900 || i >= 900 && i < 930);
        var b = Outcomes(1000, i => i < 900);
        var d = Difference.Paired(a, b);
        Assert.Equal(2.0, d.Estimate, 10);
        Assert.Equal(100 * Math.Sqrt((0.04 - 0.0004) / 1000), d.StdError, 10);
        Assert.Contains("McNemar", d.Noise);
        // Identical predictions: indistinguishable on these samples, not exactly equal — one disagreement's worth of noise, unresolved.
        var tie = Difference.Paired(b, b);
        Assert.Equal(100.0 / 1000, tie.StdError, 12);
        Assert.Equal(Decision.Unresolved, OrderChecks.Judge(CheckKind.Order, "tie", tie, 0).Decision);
        Assert.Throws<ArgumentException>(() => Difference.Paired(a, b[..10]));
    }

    [Fact]
    public void Means_over_runs_use_student_t_paired_or_welch()
    {
        var paired = Difference.PairedRuns([5, 7, 9], [4, 5, 6], "one base model");
        Assert.Equal(2, paired.Estimate, 12);
        Assert.Equal(1 / Math.Sqrt(3), paired.StdError, 12);
        Assert.Equal(2, paired.Df);
        Assert.Contains("conditional on one base model", paired.Noise);
        // t(2) 97.5% quantile 4.303: the interval is far wider than a normal one.
        var (lo, hi) = paired.Interval(0.95);
        Assert.Equal(2 - 4.3027 / Math.Sqrt(3), lo, 3);
        Assert.Equal(2 + 4.3027 / Math.Sqrt(3), hi, 3);
        var welch = Difference.Welch([1, 2, 3, 4], [2, 4, 6, 8]);
        Assert.Equal(-2.5, welch.Estimate, 12);
        Assert.InRange(welch.Df!.Value, 3, 6);
        Assert.Throws<ArgumentException>(() => Difference.PairedRuns([1, 2], [1]));
    }

    [Fact]
    public void An_order_holds_above_zero_is_contradicted_below_and_is_unresolved_across()
    {
        Difference D(double est) => new(est, 1, null, "test", 1000, "test samples");
        var o = new OrderChecks().Above("clear", 3, "b", 0, D(3)).Above("reversed", 0, "b", 3, D(-3)).Above("within noise", 0, "b", 0.5, D(-0.5));
        Assert.Equal([Decision.Holds, Decision.Contradicted, Decision.Unresolved], o.Checks.Select(c => c.Decision));
        Assert.Equal(["✓", "✗", "?"], o.Checks.Select(c => c.Mark));
        // A reversed order inside the noise is never green: it is unresolved, leaning against the claim, with the samples it would take.
        Assert.Contains("leans against the claim", o.Checks[2].Resolution);
        Assert.Contains("test samples would resolve it at 80% power", o.Checks[2].Resolution);
        // The papers' "≫": above by a gap.
        Assert.Equal(Decision.Unresolved, OrderChecks.Judge(CheckKind.Order, "gap", D(11), 10).Decision);
        Assert.Equal(Decision.Holds, OrderChecks.Judge(CheckKind.Order, "gap", D(13), 10).Decision);
    }

    [Fact]
    public void Non_inferiority_and_equivalence_follow_their_bounds()
    {
        Difference D(double est, double se = 0.5) => new(est, se, null, "test", 1000, "test samples");
        Assert.Equal(Decision.Holds, OrderChecks.Judge(CheckKind.NonInferiority, "ni", D(0), -1.2).Decision);      // lower −0.98 > −1.2
        Assert.Equal(Decision.Unresolved, OrderChecks.Judge(CheckKind.NonInferiority, "ni", D(-1), -1.2).Decision);
        Assert.Equal(Decision.Contradicted, OrderChecks.Judge(CheckKind.NonInferiority, "ni", D(-2.5), -1.2).Decision);
        // TOST: the 90% interval (±0.82) inside ±1 holds; outside at 95% contradicts; a margin narrower than the 90% half-width is undecidable.
        Assert.Equal(Decision.Holds, OrderChecks.Judge(CheckKind.Equivalence, "eq", D(0.1), 1).Decision);
        Assert.Equal(Decision.Contradicted, OrderChecks.Judge(CheckKind.Equivalence, "eq", D(3), 1).Decision);
        var narrow = OrderChecks.Judge(CheckKind.Equivalence, "eq", D(0.1), 0.5);
        Assert.Equal(Decision.Unresolved, narrow.Decision);
        Assert.True(narrow.Undecidable);
        Assert.Contains("undecidable at this scale", narrow.Resolution);
        // Exact differences (counts) have no interval.
        Assert.Equal(Decision.Holds, OrderChecks.Judge(CheckKind.NonInferiority, "count", Difference.Exact(3, 3), 0).Decision);
        Assert.Equal(Decision.Contradicted, OrderChecks.Judge(CheckKind.Order, "count", Difference.Exact(3, 3), 0).Decision);
    }

    [Fact]
    public void A_claim_deviates_only_when_a_check_survives_holm_and_is_unresolved_otherwise()
    {
        Difference D(double est) => new(est, 1, null, "test", 1000, "test samples");
        ClaimOutcome Of(params Check[] checks) => new("P.T1.order", "v", checks, new Dictionary<string, Measured>(), "", 0, []);
        var holds = OrderChecks.Judge(CheckKind.Order, "a", D(5), 0);
        // One-sided p of −2.1 SE is 0.018: contradicted alone (< 0.025), not after Holm over three checks (needs < 0.0083).
        var weak = OrderChecks.Judge(CheckKind.Order, "b", D(-2.1), 0);
        var open = OrderChecks.Judge(CheckKind.Order, "c", D(0.2), 0);
        Assert.Equal(Decision.Contradicted, weak.Decision);
        Assert.Equal(Verdicts.Deviates, Of(weak).Verdict("ci"));
        Assert.Equal(Verdicts.Unresolved, Of(holds, weak).Verdict("ci")); // Holm over two: 0.018 > 0.025 / 2
        Assert.Equal(Verdicts.Unresolved, Of(holds, weak, open).Verdict("ci"));
        Assert.Equal(Verdicts.Deviates, Of(holds, OrderChecks.Judge(CheckKind.Order, "b", D(-4), 0), open).Verdict("ci"));
        Assert.Equal(Verdicts.Reproduced, Of(holds, holds).Verdict("ci"));
        Assert.Equal(Verdicts.NeedsPaperScale, Of().Verdict("ci"));
        Assert.Equal(Verdicts.Unresolved, Of().Verdict("paper")); // a value claim is not "reproduced" without a stated δ
    }

    [Fact]
    public void Invalid_scenarios_and_vacuous_checks_are_their_own_verdicts()
    {
        Difference D(double est) => new(est, 1, null, "test", 1000, "test samples");
        var valid = new OrderChecks().Valid("backdoor implanted", 40, "bar", 50, D(-10)).Above("claim", 1, "b", 0, D(5));
        var invalid = new ClaimOutcome("P.T1.order", "v", valid.Checks, new Dictionary<string, Measured>(), "", 0, []);
        Assert.Equal(Verdicts.Invalid, invalid.Verdict("ci"));
        Assert.Empty(invalid.Contradicted()); // validity is a precondition, not one of the claim's tested checks
        var holds = new ClaimOutcome("H.T3.influence", "v", new OrderChecks().Above("claim", 1, "b", 0, D(5)).Checks, new Dictionary<string, Measured>(), "", 0, []);
        Assert.Equal(Verdicts.Reproduced, holds.Verdict("ci"));
        var vacuous = holds with { Controls = [new ControlResult("None", Negative: true, Passes: true, Contradicted: false, "all 1 checks hold")] };
        Assert.Equal(Verdicts.Vacuous, vacuous.Verdict("ci"));
        Assert.Throws<Xunit.Sdk.XunitException>(() => vacuous.Verify(GetType()));
        var failedControl = holds with { Controls = [new ControlResult("Retrain", Negative: false, Passes: false, Contradicted: true, "1 of 1 checks do not hold")] };
        Assert.Equal(Verdicts.ControlFailed, failedControl.Verdict("ci"));
        // A positive control that is only unresolved does not fail the claim: its checks say they are undecidable.
        Assert.Equal(Verdicts.Reproduced, (holds with { Controls = [new ControlResult("Retrain", false, false, false, "")] }).Verdict("ci"));
    }

    [Fact]
    public void Best_of_k_intervals_are_wider_and_auc_errors_follow_hanley_mcneil()
    {
        var d = new Difference(1, 1, null, "test", 1000, "test samples");
        Assert.Equal(d, d.BestOf(1));
        Assert.True(d.BestOf(5).StdError > d.StdError);
        Assert.Equal(d.BestOf(5).Interval(0.95).Lower, 1 - MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, 1 - 0.025 / 5), 10);
        // At AUC ½ Hanley–McNeil reduces to √((m + n + 1) / (12 m n)).
        Assert.Equal(Math.Sqrt((200 + 1000 + 1) / (12.0 * 200 * 1000)), Difference.AucStdError(0.5, 200, 1000), 6);
        var median = Difference.BootstrapMedians([1, 2, 3, 4, 5, 6, 7], [1, 1, 2, 2, 3, 3, 3]);
        Assert.Equal(2, median.Estimate);
        Assert.True(median.StdError > 0);
    }

    [Fact]
    public void Auc_differences_are_bootstrapped_over_shared_samples_and_pairing_removes_the_shared_noise()
    {
        var rng = new Random(5);
        double[] Draw(int k, double shift) => Enumerable.Range(0, k).Select(_ => rng.NextDouble() + shift).ToArray();
        double Auc(double[] p, double[] n) => 100 * Unlearning.Metrics.RocAuc.Compute(p, n);
        var a = new Unlearning.Metrics.ScoreSets(Draw(200, 0), Draw(1000, 0));
        // Against a constant at AUC ½ the bootstrap agrees with Hanley–McNeil, √((m + n + 1) / (12 m n)), within its own noise.
        var alone = Difference.BootstrapAucs([a], [], Auc, constant: 50);
        Assert.Equal(Auc(a.Members, a.NonMembers) - 50, alone.Estimate, 10);
        Assert.InRange(alone.StdError / (100 * Difference.AucStdError(0.5, 200, 1000)), 0.85, 1.15);
        // A second model that scores the same samples almost alike: pairing cancels the samples' noise.
        var b = new Unlearning.Metrics.ScoreSets(a.Members.Select(x => x + 0.01 * rng.NextDouble()).ToArray(), a.NonMembers.Select(x => x + 0.01 * rng.NextDouble()).ToArray());
        var paired = Difference.BootstrapAucs([a], [b], Auc);
        Assert.True(paired.StdError < 0.2 * alone.StdError, $"paired SE {paired.StdError} vs one AUC's {alone.StdError}");
        Assert.Equal(0, Difference.BootstrapAucs([a], [a], Auc).StdError);
        Assert.Throws<ArgumentException>(() => Difference.BootstrapAucs([a], [new(a.Members[..100], a.NonMembers)], Auc));
    }

    [Fact]
    public void Every_judged_claim_states_its_kinds_of_check_and_their_margins_in_the_catalog()
    {
        foreach (string id in Shared.Claims.All.Select(v => v.Claim).Distinct())
        {
            var claim = ClaimCatalog.Get(id);
            Assert.True(claim.Kind is "value" || claim.Checks.Count > 0, $"catalog.json: {id} ({claim.Kind}) states no kind of check");
            Assert.All(claim.Checks, c =>
            {
                Assert.Contains(c.Kind, new[] { "order", "non-inferiority", "equivalence", PaperComparison.Kind });
                Assert.True(c.Kind == "order" || c.Delta is >= 0, $"{id}: a {c.Kind} check needs its δ");
                Assert.False(string.IsNullOrWhiteSpace(c.Why), $"{id}: a check needs the sentence or choice that fixes it");
            });
        }
    }

    [Fact]
    public void At_paper_scale_a_value_claim_is_judged_against_the_paper_within_its_catalog_delta()
    {
        // H.T1.acc states δ 0.007 (a share of test accuracy); a share on 10,000 samples has a standard error of about 0.0015.
        Assert.Equal(0.007, ClaimCatalog.Get("H.T1.acc").Delta(PaperComparison.Kind));
        ClaimOutcome Of(double ours) => new("H.T1.acc", "v", PaperComparison.Checks("H.T1.acc", new Dictionary<string, Measured>
        {
            ["test_accuracy"] = Measured.Share(ours, 10_000, paper: 0.9898),
            ["train_accuracy"] = Measured.Share(0.999, 60_000), // no paper number: not compared
            ["std"] = Measured.Reported(0.01, paper: 0.02),      // reported, not pinned: not compared
        }), new Dictionary<string, Measured>(), "", 0, []);
        var near = Of(0.9880);
        var check = Assert.Single(near.Checks);
        Assert.Equal(CheckKind.Equivalence, check.Kind);
        Assert.Equal(Verdicts.Reproduced, near.Verdict("paper"));
        Assert.Equal(Verdicts.Deviates, Of(0.9700).Verdict("paper"));
        Assert.Equal(Verdicts.Unresolved, Of(0.9828).Verdict("paper")); // 0.7 pp below: the interval straddles −δ
        // A claim without a value δ (Fig. 2 has no numbers in the paper) gets no checks and stays unresolved at paper scale.
        Assert.Empty(PaperComparison.Checks("H.F2.runs", new Dictionary<string, Measured> { ["x"] = Measured.Share(0.5, 100, paper: 0.5) }));
    }

    [Fact]
    public void Every_known_deviation_names_a_runnable_variant()
    {
        foreach (var d in KnownDeviations.All)
        {
            Assert.Contains(d.Variant, Shared.Claims.VariantsOf(d.Claim));
            Assert.False(string.IsNullOrWhiteSpace(d.Why));
            Assert.False(string.IsNullOrWhiteSpace(d.AtPaperScale));
        }
    }
}
