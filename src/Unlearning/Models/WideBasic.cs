using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Unlearning.Models;

/// <summary>Wide-ResNet pre-activation block: BN-ReLU-Conv3×3, dropout, BN-ReLU-Conv3×3, plus (projected) shortcut.</summary>
public sealed class WideBasic : Module<Tensor, Tensor>
{
    private readonly BatchNorm2d bn1;
    private readonly Conv2d conv1;
    private readonly Dropout dropout;
    private readonly BatchNorm2d bn2;
    private readonly Conv2d conv2;
    private readonly Sequential shortcut;

    /// <summary>Creates the block.</summary>
    public WideBasic(int cIn, int cOut, int stride, double dropRate) : base(nameof(WideBasic))
    {
        bn1 = BatchNorm2d(cIn);
        conv1 = Conv2d(cIn, cOut, kernel_size: 3, stride: 1, padding: 1, bias: false);
        dropout = Dropout(dropRate);
        bn2 = BatchNorm2d(cOut);
        conv2 = Conv2d(cOut, cOut, kernel_size: 3, stride: stride, padding: 1, bias: false);
        shortcut = stride != 1 || cIn != cOut
            ? Sequential(Conv2d(cIn, cOut, kernel_size: 1, stride: stride, bias: false))
            : Sequential();
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = dropout.forward(conv1.forward(functional.relu(bn1.forward(x))));
        h = conv2.forward(functional.relu(bn2.forward(h)));
        return h.Plus(shortcut.forward(x)).MoveToOuterDisposeScope();
    }
}
