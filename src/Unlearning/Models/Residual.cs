using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Unlearning.Models;

/// <summary>ResNet-9's residual unit: x + res2(res1(x)), both <see cref="ConvBnCelu"/> at constant width.</summary>
public sealed class Residual : Module<Tensor, Tensor>
{
    private readonly ConvBnCelu res1;
    private readonly ConvBnCelu res2;

    /// <summary>Creates the unit at <paramref name="channels"/> width.</summary>
    public Residual(int channels) : base(nameof(Residual))
    {
        res1 = new ConvBnCelu(channels, channels);
        res2 = new ConvBnCelu(channels, channels);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return x.Plus(res2.forward(res1.forward(x))).MoveToOuterDisposeScope();
    }
}
