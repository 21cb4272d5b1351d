using System.Diagnostics;
using Unlearning.Training;

namespace Unlearning.Unlearning;

/// <summary>
/// The SSD baseline as tuned by Goel et al. (Potion §4.1): a grid α ∈ {0.1, 1, 10, 50, 100, 500, 1e3, 1e4, 1e5, 1e6},
/// λ = α·{0.1, 0.5, 1, 5, 10}; the pick maximises the equal-weight average of the accuracy drop on S_f and the
/// accuracy change on a validation set. Importances are computed once for the whole grid.
/// </summary>
public sealed class GoelGridSsd(int[] validation, int importanceBatchSize) : IUnlearner
{
    /// <summary>α values of the grid.</summary>
    public static readonly double[] Alphas = [0.1, 1, 10, 50, 100, 500, 1e3, 1e4, 1e5, 1e6];

    /// <summary>λ as multiples of α.</summary>
    public static readonly double[] LambdaFactors = [0.1, 0.5, 1, 5, 10];

    /// <inheritdoc />
    public string Name => "SSD (Goel grid)";

    /// <inheritdoc />
    public UnlearningResult Unlearn(UnlearningRequest r)
    {
        r.Validate();
        if (validation.Length == 0) throw new ArgumentException("the grid search needs a validation set", nameof(validation));
        var clock = Stopwatch.StartNew();
        var (iD, iF) = ImportanceEstimator.ForRequest(r, ImportanceKind.Ssd, importanceBatchSize);
        using var _d = iD;
        using var _f = iF;
        var evaluator = new Evaluator(r.Device, limits: r.Training.Limits);
        double f0 = evaluator.Accuracy(r.Model, r.Data, r.Forget, r.ForgetTransform), v0 = evaluator.Accuracy(r.Model, r.Data, validation);
        var scratch = ModelCopy.Clone(r.Model, r.CreateModel);
        (double Score, double Alpha, double Lambda) best = (double.NegativeInfinity, double.NaN, double.NaN);
        foreach (double a in Alphas)
            foreach (double k in LambdaFactors)
            {
                ModelCopy.CopyInto(r.Model, scratch);
                SsdDampening.Apply(scratch, iD, iF, a, a * k);
                double score = ((f0 - evaluator.Accuracy(scratch, r.Data, r.Forget, r.ForgetTransform)) + (evaluator.Accuracy(scratch, r.Data, validation) - v0)) / 2;
                if (score > best.Score) best = (score, a, a * k);
            }
        ModelCopy.CopyInto(r.Model, scratch);
        long n = SsdDampening.Apply(scratch, iD, iF, best.Alpha, best.Lambda);
        return new UnlearningResult(scratch, clock.Elapsed.TotalSeconds, new Dictionary<string, double>
        {
            ["alpha"] = best.Alpha, ["lambda"] = best.Lambda, ["score"] = best.Score, ["dampened"] = n,
        });
    }
}
