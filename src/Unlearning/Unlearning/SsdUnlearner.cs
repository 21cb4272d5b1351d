using System.Diagnostics;
using Unlearning.Training;

namespace Unlearning.Unlearning;

/// <summary>One SSD application with fixed α and λ (Foster et al.; Potion Eq. 1), importances from the chosen estimator.</summary>
public sealed class SsdUnlearner(double alpha, double lambda, int importanceBatchSize, ImportanceKind kind = ImportanceKind.Ssd, double exponent = 1.0) : IUnlearner
{
    /// <inheritdoc />
    public string Name => $"SSD(α={alpha:G3}, λ={lambda:G3})";

    /// <inheritdoc />
    public UnlearningResult Unlearn(UnlearningRequest r)
    {
        r.Validate();
        var clock = Stopwatch.StartNew();
        using var iD = ImportanceEstimator.Compute(r.Model, r.Data, r.Retain, kind, importanceBatchSize, r.RetainTransform, exponent, r.Device);
        using var iF = ImportanceEstimator.Compute(r.Model, r.Data, r.Forget, kind, importanceBatchSize, r.ForgetTransform, exponent, r.Device);
        var model = ModelCopy.Clone(r.Model, r.CreateModel);
        long n = SsdDampening.Apply(model, iD, iF, alpha, lambda);
        return new UnlearningResult(model, clock.Elapsed.TotalSeconds, new Dictionary<string, double> { ["dampened"] = n, ["alpha"] = alpha, ["lambda"] = lambda });
    }
}

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
        using var iD = ImportanceEstimator.Compute(r.Model, r.Data, r.Retain, ImportanceKind.Ssd, importanceBatchSize, r.RetainTransform, device: r.Device);
        using var iF = ImportanceEstimator.Compute(r.Model, r.Data, r.Forget, ImportanceKind.Ssd, importanceBatchSize, r.ForgetTransform, device: r.Device);
        var evaluator = new Evaluator(r.Device);
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
