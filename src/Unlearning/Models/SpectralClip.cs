using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Unlearning.Models;

/// <summary>
/// The clipping of AMUN §6.2.2's robust models (Boroojeny et al.'s layer-wise method, default setting: every convolutional
/// and fully-connected layer clipped to operator norm 1): a layer computes with W / max(1, σ̂), σ̂ its largest singular
/// value as an operator — for a convolution, of the convolution itself (stride and padding included), not of the reshaped
/// kernel. σ̂ comes from power iteration on a persistent vector v: one step per training forward (v ← AᵀA v / ‖·‖, the
/// transposed convolution as Aᵀ), then σ̂ = ‖A v‖ with v held constant, so the gradient flows through W. σ̂ is computed from
/// a copy of v, so losses that run several forward passes before one backward keep a valid graph.
/// </summary>
public static class SpectralClip
{
    /// <summary>A clipped convolution of <paramref name="x"/>; <paramref name="v"/> [1, C_in, H, W] is updated in training.</summary>
    public static Tensor Conv(Tensor x, Tensor weight, Tensor? bias, Tensor v, bool training, long stride = 1, long padding = 0)
    {
        long outputPadding = OutputPadding(v.shape[2], weight.shape[2], stride, padding);
        Tensor A(Tensor u) => functional.conv2d(u, weight, strides: [stride, stride], padding: [padding, padding]);
        if (training)
            using (no_grad())
                v.copy_(Unit(functional.conv_transpose2d(A(v), weight, strides: [stride, stride], padding: [padding, padding],
                    output_padding: [outputPadding, outputPadding])));
        var sigma = A(v.clone()).norm(); // a copy: a later forward's update of v must not touch this graph
        return functional.conv2d(x, weight.div(sigma.AtLeast(1.0)), bias, strides: [stride, stride], padding: [padding, padding]);
    }

    /// <summary>A clipped linear map of <paramref name="x"/>; <paramref name="v"/> [in] is updated in training.</summary>
    public static Tensor Dense(Tensor x, Tensor weight, Tensor? bias, Tensor v, bool training)
    {
        if (training)
            using (no_grad())
                v.copy_(Unit(weight.t().matmul(weight.matmul(v))));
        var sigma = weight.matmul(v.clone()).norm();
        return functional.linear(x, weight.div(sigma.AtLeast(1.0)), bias);
    }

    /// <summary>
    /// ‖A‖ from <paramref name="iterations"/> power iterations v ← AᵀA v / ‖·‖ started at <paramref name="start"/>, independent
    /// of a layer's stored vector (to check the stored estimate).
    /// </summary>
    public static double OperatorNorm(Func<Tensor, Tensor> a, Func<Tensor, Tensor> adjoint, Tensor start, int iterations)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var v = Unit(start);
        for (int i = 0; i < iterations; i++) v = Unit(adjoint(a(v)));
        return a(v).norm().item<float>();
    }

    /// <summary>
    /// A standard-normal start shaped like <paramref name="like"/> for a norm check, drawn under
    /// <see cref="TorchRuntime.GlobalRngGate"/>: model initialisation seeds torch's global generator under that lock, and a draw
    /// from another thread between its seeding and its draws would change the model.
    /// </summary>
    public static Tensor RandomStart(Tensor like)
    {
        lock (TorchRuntime.GlobalRngGate) return randn_like(like);
    }

    /// <summary>t / ‖t‖₂.</summary>
    public static Tensor Unit(Tensor t) => t.div(t.norm().AtLeast(1e-12));

    /// <summary>
    /// The transposed convolution's output padding that maps the convolution's output back to an input of side
    /// <paramref name="inputSide"/> (a strided convolution's output side does not determine its input side).
    /// </summary>
    public static long OutputPadding(long inputSide, long kernel, long stride, long padding)
    {
        long outSide = (inputSide + 2 * padding - kernel) / stride + 1;
        return inputSide - ((outSide - 1) * stride - 2 * padding + kernel);
    }
}
