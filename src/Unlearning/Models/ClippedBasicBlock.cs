using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Unlearning.Models;

/// <summary>
/// <see cref="BasicBlock"/> with every convolution, the 1×1 shortcut's included, a <see cref="ClippedConv2d"/>
/// (AMUN §6.2.2: all convolutional layers clipped); batch norms unclipped.
/// </summary>
public sealed class ClippedBasicBlock : Module<Tensor, Tensor>
{
    private readonly ClippedConv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly ClippedConv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly Sequential shortcut;

    /// <summary>Creates the block for inputs of side <paramref name="inputSide"/>.</summary>
    public ClippedBasicBlock(int cIn, int cOut, int stride, int inputSide) : base(nameof(ClippedBasicBlock))
    {
        int outputSide = (inputSide - 1) / stride + 1;
        conv1 = new ClippedConv2d(cIn, cOut, 3, inputSide, stride, padding: 1, hasBias: false);
        bn1 = BatchNorm2d(cOut);
        conv2 = new ClippedConv2d(cOut, cOut, 3, outputSide, 1, padding: 1, hasBias: false);
        bn2 = BatchNorm2d(cOut);
        shortcut = stride != 1 || cIn != cOut
            ? Sequential(new ClippedConv2d(cIn, cOut, 1, inputSide, stride, padding: 0, hasBias: false), BatchNorm2d(cOut))
            : Sequential();
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = functional.relu(bn1.forward(conv1.forward(x)));
        h = bn2.forward(conv2.forward(h));
        return functional.relu(h.Plus(shortcut.forward(x))).MoveToOuterDisposeScope();
    }
}
