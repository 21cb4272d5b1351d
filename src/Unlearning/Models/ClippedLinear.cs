using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Unlearning.Models;

/// <summary>A fully-connected layer clipped to operator norm ≤ 1 (<see cref="SpectralClip"/>; AMUN §6.2.2). Weights start as torch.nn.Linear's do.</summary>
public sealed class ClippedLinear : Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter bias;
    private readonly Tensor v;

    /// <summary>Creates the layer.</summary>
    public ClippedLinear(long inFeatures, long outFeatures) : base(nameof(ClippedLinear))
    {
        using (var init = Linear(inFeatures, outFeatures))
        {
            weight = new Parameter(init.weight!.detach().clone());
            bias = new Parameter(init.bias!.detach().clone());
        }
        v = SpectralClip.Unit(randn(inFeatures));
        RegisterComponents();
    }

    /// <summary>The current estimate σ̂ of the unclipped map's operator norm.</summary>
    public double SpectralNorm()
    {
        using var noGrad = no_grad();
        using var s = weight.matmul(v).norm();
        return s.item<float>();
    }

    /// <summary>The operator norm of the map as used (W / max(1, σ̂)), from fresh power iterations: ≤ 1 once σ̂ has converged.</summary>
    public double ClippedNorm(int iterations = 200)
    {
        using var start = SpectralClip.RandomStart(v);
        return SpectralClip.OperatorNorm(u => weight.matmul(u), w => weight.t().matmul(w), start, iterations) / Math.Max(1, SpectralNorm());
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x) => SpectralClip.Dense(x, weight, bias, v, training);
}
