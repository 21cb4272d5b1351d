using System.Diagnostics;
using Unlearning.Models;
using Unlearning.Training;

namespace Unlearning.Unlearning;

/// <summary>Where PTN's first candidate lies (see <see cref="PtnOptions.Start"/>).</summary>
public enum PtnStartRule
{
    /// <summary>Reference code: s = |S_f| / |S_tr| / b_start — a small share, hence a high percentile, the least aggressive α.</summary>
    DivideByBuffer,
    /// <summary>Potion Alg. 1 line 3 as printed: s = |S_f| / |S_tr| · b_start.</summary>
    MultiplyByBuffer,
}

/// <summary>PTN search parameters (Potion §4.1: ρ = 0.2, b_start = 25, s_step = 1.1; λ = 1).</summary>
public sealed record PtnOptions(double Rho = 0.2, double BStart = 25, double SStep = 1.1, int MaxTries = 500, double Lambda = 1.0,
    PtnStartRule Start = PtnStartRule.DivideByBuffer)
{
    /// <summary>Refuses values for which the search cannot terminate or means nothing.</summary>
    public PtnOptions Validate()
    {
        if (!(Rho > 0 && Rho < 1)) throw new ArgumentOutOfRangeException(nameof(Rho), Rho, "ρ must lie in (0, 1)");
        if (!(SStep > 1)) throw new ArgumentOutOfRangeException(nameof(SStep), SStep, "s_step must exceed 1, or the search never moves");
        if (!(BStart > 0)) throw new ArgumentOutOfRangeException(nameof(BStart), BStart, "b_start must be positive");
        if (MaxTries < 1) throw new ArgumentOutOfRangeException(nameof(MaxTries), MaxTries, "at least one try");
        return this;
    }
}

/// <summary>One evaluated candidate of the search.</summary>
public sealed record PtnStep(int Try, double Share, double Percentile, double Alpha, double ForgetAccuracy);

/// <summary>The search's path and outcome. <see cref="Chosen"/> is null when no candidate crossed the threshold.</summary>
public sealed record PtnTrace(double OriginalForgetAccuracy, double Threshold, IReadOnlyList<PtnStep> Steps, PtnStep? Chosen)
{
    /// <summary>True when a candidate brought S_f accuracy to ρ·Acc_Sf(∞) or below.</summary>
    public bool Converged => Chosen != null;
}

/// <summary>
/// Poison Trigger Neutralisation search, Potion Alg. 1 with Eq. 7 as the reference code reads it: the candidate
/// α is the p-th percentile of the importance ratios I_f / I_D over all parameter entries, p = 100 − ln(1 + 100·s);
/// s starts at |S_f|/|S_tr| / b_start and grows by s_step each try, so α falls and unlearning grows more aggressive.
/// Each candidate dampens a fresh copy (λ = 1) and is judged by the accuracy on S_f (trigger on, target label);
/// the first candidate with accuracy ≤ ρ·Acc_Sf(∞) — the least aggressive that crosses — is returned. Candidates
/// whose α does not strictly fall (ties in the ratio distribution) are skipped, as they would repeat the last try.
/// </summary>
public static class PtnSearch
{
    /// <summary>The search itself, over sorted ratios and an evaluation α → accuracy on S_f.</summary>
    public static PtnTrace Run(double[] sortedRatios, double originalForgetAccuracy, double startShare, PtnOptions options, Func<double, double> forgetAccuracyAt)
    {
        options.Validate();
        if (sortedRatios.Length == 0) throw new ArgumentException("no finite importance ratios: I_D or I_f is degenerate", nameof(sortedRatios));
        if (!(startShare > 0)) throw new ArgumentOutOfRangeException(nameof(startShare), startShare, "the start share must be positive");
        double threshold = options.Rho * originalForgetAccuracy;
        var steps = new List<PtnStep>();
        double share = startShare, previousAlpha = double.PositiveInfinity;
        for (int t = 1; t <= options.MaxTries; t++, share *= options.SStep)
        {
            double p = Math.Max(0, 100 - Math.Log(1 + 100 * share));
            double alpha = Percentile(sortedRatios, p);
            if (!(alpha < previousAlpha)) { if (p <= 0) break; continue; }
            previousAlpha = alpha;
            var step = new PtnStep(t, share, p, alpha, forgetAccuracyAt(alpha));
            steps.Add(step);
            if (step.ForgetAccuracy <= threshold) return new PtnTrace(originalForgetAccuracy, threshold, steps, step);
            if (p <= 0) break;
        }
        return new PtnTrace(originalForgetAccuracy, threshold, steps, null);
    }

    /// <summary>Linear-interpolated percentile (NumPy's default) of ascending <paramref name="sorted"/>, p in [0, 100].</summary>
    public static double Percentile(double[] sorted, double p)
    {
        double pos = Math.Clamp(p, 0, 100) / 100 * (sorted.Length - 1);
        int lo = (int)Math.Floor(pos), hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }

    /// <summary>The finite ratios I_f / I_D over every parameter entry, ascending (NaN and ±∞ dropped).</summary>
    public static double[] SortedRatios(ParameterImportance importanceD, ParameterImportance importanceF)
    {
        var all = new List<double>((int)importanceD.Count);
        foreach (var (name, d) in importanceD.Values)
        {
            using var scope = TorchSharp.torch.NewDisposeScope();
            var r = importanceF.Values[name].div(d).flatten().to_type(TorchSharp.torch.ScalarType.Float64);
            foreach (double v in r.data<double>()) if (double.IsFinite(v)) all.Add(v);
        }
        var arr = all.ToArray();
        Array.Sort(arr);
        return arr;
    }
}

/// <summary>PTN search plus an SSD-family importance (Potion's "PTN-SSD", "PTN-LF", "PTN-XLF").</summary>
public sealed class PtnUnlearner(ImportanceKind kind, PtnOptions options, int importanceBatchSize, double exponent = 1.0) : IUnlearner
{
    /// <inheritdoc />
    public string Name => "PTN-" + kind switch { ImportanceKind.Ssd => "SSD", ImportanceKind.LossFree => "LF", _ => exponent == 1.0 ? "XLF" : $"XLF(w={exponent})" };

    /// <inheritdoc />
    public UnlearningResult Unlearn(UnlearningRequest r)
    {
        r.Validate();
        var clock = Stopwatch.StartNew();
        var (iD, iF) = ImportanceEstimator.ForRequest(r, kind, importanceBatchSize, exponent);
        using var _d = iD;
        using var _f = iF;
        double importanceSeconds = clock.Elapsed.TotalSeconds;
        var ratios = PtnSearch.SortedRatios(iD, iF);
        var evaluator = new Evaluator(r.Device, limits: r.Training.Limits);
        double original = evaluator.Accuracy(r.Model, r.Data, r.Forget, r.ForgetTransform);
        var scratch = ModelCopy.Clone(r.Model, r.CreateModel);
        long dampened = 0;
        double start = (double)r.Forget.Length / (r.Forget.Length + r.Retain.Length);
        start = options.Start == PtnStartRule.DivideByBuffer ? start / options.BStart : start * options.BStart;
        var trace = PtnSearch.Run(ratios, original, start, options, alpha =>
        {
            ModelCopy.CopyInto(r.Model, scratch);
            dampened = SsdDampening.Apply(scratch, iD, iF, alpha, options.Lambda);
            return evaluator.Accuracy(scratch, r.Data, r.Forget, r.ForgetTransform);
        });
        if (trace.Chosen == null) ModelCopy.CopyInto(r.Model, scratch); // no candidate crossed: hand back the model unchanged, flagged
        else if (trace.Steps[^1] != trace.Chosen) throw new InvalidOperationException("PTN trace ended past its chosen candidate");
        return new UnlearningResult(scratch, clock.Elapsed.TotalSeconds, new Dictionary<string, double>
        {
            ["converged"] = trace.Converged ? 1 : 0,
            ["tries"] = trace.Steps.Count,
            ["alpha"] = trace.Chosen?.Alpha ?? double.NaN,
            ["dampened"] = trace.Converged ? dampened : 0,
            ["forget_accuracy_before"] = original,
            ["forget_accuracy_after"] = trace.Chosen?.ForgetAccuracy ?? original,
            ["importance_seconds"] = importanceSeconds,
        });
    }
}
