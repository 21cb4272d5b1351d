using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Unlearning.Models;

/// <summary>
/// ResNet basic block (two 3×3 convs with BatchNorm, identity or 1×1-conv shortcut), post-activation. Given the side of
/// its input, every convolution, the shortcut's included, is a <see cref="ClippedConv2d"/> (AMUN §6.2.2's 1-Lipschitz
/// layers; batch norms unclipped).
/// </summary>
public sealed class BasicBlock : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> conv1;
    private readonly BatchNorm2d bn1;
    private readonly Module<Tensor, Tensor> conv2;
    private readonly BatchNorm2d bn2;
    private readonly Sequential shortcut;

    /// <summary>Creates the block; <paramref name="clippedInputSide"/> (the input's side) makes its convolutions 1-Lipschitz.</summary>
    public BasicBlock(int cIn, int cOut, int stride, int? clippedInputSide = null) : base(nameof(BasicBlock))
    {
        int? outputSide = (clippedInputSide - 1) / stride + 1;
        conv1 = Conv(cIn, cOut, 3, stride, 1, clippedInputSide);
        bn1 = BatchNorm2d(cOut);
        conv2 = Conv(cOut, cOut, 3, 1, 1, outputSide);
        bn2 = BatchNorm2d(cOut);
        shortcut = stride != 1 || cIn != cOut
            ? Sequential(Conv(cIn, cOut, 1, stride, 0, clippedInputSide), BatchNorm2d(cOut))
            : Sequential();
        RegisterComponents();
    }

    private static Module<Tensor, Tensor> Conv(int cIn, int cOut, int kernel, int stride, int padding, int? clippedInputSide) =>
        clippedInputSide is { } side
            ? new ClippedConv2d(cIn, cOut, kernel, side, stride, padding, hasBias: false)
            : Conv2d(cIn, cOut, kernel_size: kernel, stride: stride, padding: padding, bias: false);

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = functional.relu(bn1.forward(conv1.forward(x)));
        h = bn2.forward(conv2.forward(h));
        return functional.relu(h.Plus(shortcut.forward(x))).MoveToOuterDisposeScope();
    }
}
