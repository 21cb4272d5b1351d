using System.Diagnostics;

namespace Unlearning.Unlearning;

/// <summary>
/// Selective Synaptic Dampening with fixed parameters (Foster et al.; Potion Eq. 1): importances I_D on the training
/// set and I_f on the forget set, then one dampening pass at (α, λ). α = 10, λ = 1 are SSD's published defaults. One
/// application is Potion Fig. 11's "SSD" bar, the unit PTN's search cost is measured against.
/// </summary>
public sealed class SsdUnlearner(int importanceBatchSize, double alpha = 10, double lambda = 1, ImportanceKind kind = ImportanceKind.Ssd) : IUnlearner
{
    /// <inheritdoc />
    public string Name => kind == ImportanceKind.Ssd ? $"SSD (α={alpha:G4}, λ={lambda:G4})" : $"{kind} (α={alpha:G4}, λ={lambda:G4})";

    /// <inheritdoc />
    public UnlearningResult Unlearn(UnlearningRequest r)
    {
        r.Validate();
        if (!(alpha > 0) || !(lambda > 0)) throw new ArgumentException($"SSD needs α > 0 and λ > 0 (got α={alpha}, λ={lambda})");
        var clock = Stopwatch.StartNew();
        var (iD, iF) = ImportanceEstimator.ForRequest(r, kind, importanceBatchSize);
        using var _d = iD;
        using var _f = iF;
        var model = ModelCopy.Clone(r.Model, r.CreateModel);
        long n = SsdDampening.Apply(model, iD, iF, alpha, lambda);
        return new UnlearningResult(model, clock.Elapsed.TotalSeconds, new Dictionary<string, double> { ["alpha"] = alpha, ["lambda"] = lambda, ["dampened"] = n });
    }
}
