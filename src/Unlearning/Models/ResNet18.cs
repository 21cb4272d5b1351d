using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Unlearning.Models;

/// <summary>
/// ResNet-18 with the CIFAR stem (3×3 conv, stride 1, no max-pool), the AMUN paper's main model (AMUN §6,
/// Table 1): four stages of two <see cref="BasicBlock"/>s at 64/128/256/512 channels, global average pool, linear.
/// </summary>
public sealed class ResNet18 : ImageClassifier
{
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Sequential layer1;
    private readonly Sequential layer2;
    private readonly Sequential layer3;
    private readonly Sequential layer4;
    private readonly Linear fc;

    /// <summary>Creates the network; <paramref name="width"/> scales the base channel count (64 in the paper).</summary>
    public ResNet18(int inChannels = 3, int numClasses = 10, int width = 64) : base(nameof(ResNet18), inChannels, null, numClasses)
    {
        conv1 = Conv2d(inChannels, width, kernel_size: 3, stride: 1, padding: 1, bias: false);
        bn1 = BatchNorm2d(width);
        layer1 = Stage(width, width, 1);
        layer2 = Stage(width, 2 * width, 2);
        layer3 = Stage(2 * width, 4 * width, 2);
        layer4 = Stage(4 * width, 8 * width, 2);
        fc = Linear(8 * width, numClasses);
        FeatureDim = 8 * width;
        RegisterComponents();
    }

    private static Sequential Stage(int cIn, int cOut, int stride) =>
        Sequential(new BasicBlock(cIn, cOut, stride), new BasicBlock(cOut, cOut, 1));

    /// <inheritdoc />
    public override int FeatureDim { get; }

    /// <inheritdoc />
    public override Tensor Features(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = functional.relu(bn1.forward(conv1.forward(x)));
        h = layer4.forward(layer3.forward(layer2.forward(layer1.forward(h))));
        return functional.adaptive_avg_pool2d(h, 1).flatten(1).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override Tensor Head(Tensor features) => fc.forward(features);
}
