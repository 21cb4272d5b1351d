using TorchSharp;
using static TorchSharp.torch;

namespace Unlearning.Training;

/// <summary>
/// Adam (Kingma &amp; Ba) with L2 weight decay in the gradient, torch.optim.Adam's rule without AMSGrad:
/// m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; θ ← θ − (η / (1−β₁ᵗ))·m / (√v / √(1−β₂ᵗ) + ε). The Healing paper's optimiser
/// (its §5) and the ci base models'.
/// </summary>
public sealed class AdamOptimizer : ParameterOptimizer
{
    private readonly double _beta1;
    private readonly double _beta2;
    private readonly double _weightDecay;
    private readonly Scalar _beta1Scalar;
    private readonly Scalar _beta2Scalar;
    private readonly Scalar _oneMinusBeta1;
    private readonly Scalar _oneMinusBeta2;
    private readonly Scalar _eps;
    private readonly Scalar _weightDecayScalar;
    private readonly Tensor[] _mean;
    private readonly Tensor[] _square;
    private readonly long[] _steps;

    /// <summary>β₁, β₂ ∈ [0, 1); ε and weight decay ≥ 0.</summary>
    public AdamOptimizer(IEnumerable<TorchSharp.Modules.Parameter> parameters, double learningRate, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8,
        double weightDecay = 0)
        : base(parameters, learningRate)
    {
        if (!(beta1 >= 0 && beta1 < 1)) throw new ArgumentException($"beta1 {beta1} must be in [0, 1)", nameof(beta1));
        if (!(beta2 >= 0 && beta2 < 1)) throw new ArgumentException($"beta2 {beta2} must be in [0, 1)", nameof(beta2));
        if (!(eps >= 0) || !double.IsFinite(eps)) throw new ArgumentException($"eps {eps} must be ≥ 0", nameof(eps));
        if (!(weightDecay >= 0) || !double.IsFinite(weightDecay)) throw new ArgumentException($"weight decay {weightDecay} must be ≥ 0", nameof(weightDecay));
        (_beta1, _beta2, _weightDecay) = (beta1, beta2, weightDecay);
        _beta1Scalar = beta1.ToScalar();
        _beta2Scalar = beta2.ToScalar();
        _oneMinusBeta1 = (1 - beta1).ToScalar();
        _oneMinusBeta2 = (1 - beta2).ToScalar();
        _eps = eps.ToScalar();
        _weightDecayScalar = weightDecay.ToScalar();
        _mean = Parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
        _square = Parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
        _steps = new long[Parameters.Count];
    }

    /// <inheritdoc />
    protected override void Update()
    {
        for (int i = 0; i < Parameters.Count; i++)
        {
            var param = Parameters[i];
            var grad = param.grad;
            if (grad is null) continue;
            long t = ++_steps[i];
            double correction1 = 1 - Math.Pow(_beta1, t);
            double correction2 = 1 - Math.Pow(_beta2, t);
            if (_weightDecay != 0) grad = grad.add(param, _weightDecayScalar);
            _mean[i].mul_(_beta1Scalar).add_(grad, _oneMinusBeta1);
            _square[i].mul_(_beta2Scalar).addcmul_(grad, grad, _oneMinusBeta2);
            using var root2 = Math.Sqrt(correction2).ToScalar();
            using var step = (-(LearningRate / correction1)).ToScalar();
            var denominator = _square[i].sqrt().div_(root2).add_(_eps, ScalarMath.One);
            param.addcdiv_(_mean[i], denominator, step);
        }
    }

    /// <inheritdoc />
    protected override void ReleaseState()
    {
        foreach (var t in _mean.Concat(_square)) t.Dispose();
        foreach (var s in new[] { _beta1Scalar, _beta2Scalar, _oneMinusBeta1, _oneMinusBeta2, _eps, _weightDecayScalar }) s.Dispose();
    }
}
