using TorchSharp;
using static TorchSharp.torch;

namespace Unlearning.Training;

/// <summary>
/// SGD with heavy-ball momentum and L2 weight decay, torch.optim.SGD's rule without dampening or Nesterov:
/// g ← ∇ + λ·θ; b ← g on the first step, else b ← μ·b + g; θ ← θ − η·b. Used by every SGD run (training and the
/// AMUN-family fine-tunes).
/// </summary>
public sealed class SgdOptimizer : ParameterOptimizer
{
    private readonly double _momentum;
    private readonly double _weightDecay;
    private readonly Scalar _momentumScalar;
    private readonly Scalar _weightDecayScalar;
    private readonly Scalar _one;
    private readonly Tensor?[] _buffers;

    /// <summary>Momentum μ and weight decay λ must be non-negative and finite.</summary>
    public SgdOptimizer(IEnumerable<TorchSharp.Modules.Parameter> parameters, double learningRate, double momentum = 0, double weightDecay = 0)
        : base(parameters, learningRate)
    {
        if (!(momentum >= 0) || !double.IsFinite(momentum)) throw new ArgumentException($"momentum {momentum} must be ≥ 0", nameof(momentum));
        if (!(weightDecay >= 0) || !double.IsFinite(weightDecay)) throw new ArgumentException($"weight decay {weightDecay} must be ≥ 0", nameof(weightDecay));
        _momentum = momentum;
        _weightDecay = weightDecay;
        _momentumScalar = momentum.ToScalar();
        _weightDecayScalar = weightDecay.ToScalar();
        _one = 1.0.ToScalar();
        _buffers = new Tensor?[Parameters.Count];
    }

    /// <inheritdoc />
    protected override void Update()
    {
        using var step = (-LearningRate).ToScalar();
        for (int i = 0; i < Parameters.Count; i++)
        {
            var param = Parameters[i];
            var grad = param.grad;
            if (grad is null) continue;
            if (_weightDecay != 0) grad = grad.add(param, _weightDecayScalar);
            if (_momentum != 0)
            {
                if (_buffers[i] is not { } buffer)
                    _buffers[i] = buffer = grad.clone().detach().DetachFromDisposeScope();
                else
                    buffer.mul_(_momentumScalar).add_(grad, _one);
                grad = buffer;
            }
            param.add_(grad, step);
        }
    }

    /// <inheritdoc />
    protected override void ReleaseState()
    {
        foreach (var buffer in _buffers) buffer?.Dispose();
        _momentumScalar.Dispose();
        _weightDecayScalar.Dispose();
        _one.Dispose();
    }
}
