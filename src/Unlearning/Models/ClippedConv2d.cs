using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Unlearning.Models;

/// <summary>
/// A square-kernel convolution clipped to operator norm ≤ 1 (<see cref="SpectralClip"/>; AMUN §6.2.2). Its input side is
/// fixed at construction: the power-iteration vector <c>v</c> has the input's shape. Weights start as
/// torch.nn.Conv2d's do.
/// </summary>
public sealed class ClippedConv2d : Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter? bias;
    private readonly Tensor v;
    private readonly long _stride;
    private readonly long _padding;

    /// <summary>Creates the layer for inputs [N, <paramref name="inChannels"/>, <paramref name="inputSide"/>, <paramref name="inputSide"/>].</summary>
    public ClippedConv2d(long inChannels, long outChannels, long kernelSize, long inputSide, long stride = 1, long padding = 0, bool hasBias = true)
        : base(nameof(ClippedConv2d))
    {
        if (inputSide + 2 * padding < kernelSize) throw new ArgumentException($"input side {inputSide} is smaller than the kernel {kernelSize}", nameof(inputSide));
        using (var init = Conv2d(inChannels, outChannels, kernelSize, stride: stride, padding: padding, bias: hasBias))
        {
            weight = new Parameter(init.weight!.detach().clone());
            bias = hasBias ? new Parameter(init.bias!.detach().clone()) : null;
        }
        v = SpectralClip.Unit(randn(1, inChannels, inputSide, inputSide));
        (_stride, _padding) = (stride, padding);
        RegisterComponents();
    }

    /// <summary>The current estimate σ̂ of the unclipped convolution's operator norm.</summary>
    public double SpectralNorm()
    {
        using var noGrad = no_grad();
        using var s = functional.conv2d(v, weight, strides: [_stride, _stride], padding: [_padding, _padding]).norm();
        return s.item<float>();
    }

    /// <summary>
    /// The operator norm of the convolution as used (W / max(1, σ̂)), from <paramref name="iterations"/> fresh power
    /// iterations independent of <c>v</c>: ≤ 1 once σ̂ has converged.
    /// </summary>
    public double ClippedNorm(int iterations = 200)
    {
        long op = SpectralClip.OutputPadding(v.shape[2], weight.shape[2], _stride, _padding);
        using var start = SpectralClip.RandomStart(v);
        return SpectralClip.OperatorNorm(
            u => functional.conv2d(u, weight, strides: [_stride, _stride], padding: [_padding, _padding]),
            w => functional.conv_transpose2d(w, weight, strides: [_stride, _stride], padding: [_padding, _padding], output_padding: [op, op]),
            start, iterations) / Math.Max(1, SpectralNorm());
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x) => SpectralClip.Conv(x, weight, bias, v, training, _stride, _padding);
}
