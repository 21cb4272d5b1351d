using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Unlearning.Models;

/// <summary>
/// ResNet-9 exactly as in the Potion reference code (Potion §5, CIFAR-10 row): prep 3→64; layer1 64→128
/// (k5, s2, p2); res1 Residual(128); layer2 128→256 + MaxPool(2); res2 Residual(256); layer3 256→128 (k3, p0)
/// + AdaptiveMaxPool(1) + Flatten; linear 128→classes without bias. Every conv is <see cref="ConvBnCelu"/>.
/// </summary>
public sealed class ResNet9 : ImageClassifier
{
    private readonly ConvBnCelu prep;
    private readonly ConvBnCelu layer1;
    private readonly Residual res1;
    private readonly ConvBnCelu layer2;
    private readonly Residual res2;
    private readonly ConvBnCelu layer3;
    private readonly Linear linear;

    /// <summary>Creates the network.</summary>
    public ResNet9(int inChannels = 3, int numClasses = 10) : base(nameof(ResNet9), inChannels, null, numClasses)
    {
        prep = new ConvBnCelu(inChannels, 64);
        layer1 = new ConvBnCelu(64, 128, kernel: 5, stride: 2, padding: 2);
        res1 = new Residual(128);
        layer2 = new ConvBnCelu(128, 256);
        res2 = new Residual(256);
        layer3 = new ConvBnCelu(256, 128, kernel: 3, padding: 0);
        linear = Linear(128, numClasses, hasBias: false);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override int FeatureDim => 128;

    /// <inheritdoc />
    public override Tensor Features(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = res1.forward(layer1.forward(prep.forward(x)));
        h = res2.forward(MaxPool2x2.Apply(layer2.forward(h)));
        h = functional.adaptive_max_pool2d(layer3.forward(h), [1L, 1L]);
        return h.flatten(1).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override Tensor Head(Tensor features) => linear.forward(features);
}
