using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Unlearning.Models;

/// <summary>ResNet basic block (two 3×3 convs with BatchNorm, identity or 1×1-conv shortcut), post-activation.</summary>
public sealed class BasicBlock : Module<Tensor, Tensor>
{
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly Sequential shortcut;

    /// <summary>Creates the block.</summary>
    public BasicBlock(int cIn, int cOut, int stride) : base(nameof(BasicBlock))
    {
        conv1 = Conv2d(cIn, cOut, kernel_size: 3, stride: stride, padding: 1, bias: false);
        bn1 = BatchNorm2d(cOut);
        conv2 = Conv2d(cOut, cOut, kernel_size: 3, stride: 1, padding: 1, bias: false);
        bn2 = BatchNorm2d(cOut);
        shortcut = stride != 1 || cIn != cOut
            ? Sequential(Conv2d(cIn, cOut, kernel_size: 1, stride: stride, bias: false), BatchNorm2d(cOut))
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
