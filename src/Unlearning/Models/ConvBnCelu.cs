using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Unlearning.Models;

/// <summary>ResNet-9's conv_bn unit (Potion reference): Conv2d (with bias) → BatchNorm2d → CELU(α = 0.075).</summary>
public sealed class ConvBnCelu : Module<Tensor, Tensor>
{
    private readonly Conv2d conv;
    private readonly BatchNorm2d bn;

    /// <summary>Creates the unit.</summary>
    public ConvBnCelu(int cIn, int cOut, int kernel = 3, int stride = 1, int padding = 1) : base(nameof(ConvBnCelu))
    {
        conv = Conv2d(cIn, cOut, kernel_size: kernel, stride: stride, padding: padding, bias: true);
        bn = BatchNorm2d(cOut);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return functional.celu(bn.forward(conv.forward(x)), 0.075).MoveToOuterDisposeScope();
    }
}
