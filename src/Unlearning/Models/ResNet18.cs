using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Unlearning.Models;

/// <summary>
/// ResNet-18 with the CIFAR stem (3×3 conv, stride 1, no max-pool), the AMUN paper's main model (AMUN §6,
/// Table 1): four stages of two <see cref="BasicBlock"/>s at 64/128/256/512 channels, global average pool, linear.
/// Built for a fixed image side, every convolutional and fully-connected layer is clipped to operator norm 1
/// (<see cref="ClippedConv2d"/>, <see cref="ClippedLinear"/>; batch norms unclipped): AMUN §6.2.2's robust model
/// (Tables 3 and 6).
/// </summary>
public sealed class ResNet18 : ImageClassifier
{
    private readonly Module<Tensor, Tensor> conv1;
    private readonly BatchNorm2d bn1;
    private readonly Sequential layer1;
    private readonly Sequential layer2;
    private readonly Sequential layer3;
    private readonly Sequential layer4;
    private readonly Module<Tensor, Tensor> fc;

    /// <summary>
    /// Creates the network; <paramref name="width"/> scales the base channel count (64 in the paper);
    /// <paramref name="clippedImageSize"/> (the image side) makes every layer 1-Lipschitz.
    /// </summary>
    public ResNet18(int inChannels = 3, int numClasses = 10, int width = 64, int? clippedImageSize = null)
        : base(nameof(ResNet18), inChannels, clippedImageSize, numClasses)
    {
        int? side = clippedImageSize;
        conv1 = side is { } s
            ? new ClippedConv2d(inChannels, width, 3, s, 1, padding: 1, hasBias: false)
            : Conv2d(inChannels, width, kernel_size: 3, stride: 1, padding: 1, bias: false);
        bn1 = BatchNorm2d(width);
        layer1 = Stage(width, width, 1, ref side);
        layer2 = Stage(width, 2 * width, 2, ref side);
        layer3 = Stage(2 * width, 4 * width, 2, ref side);
        layer4 = Stage(4 * width, 8 * width, 2, ref side);
        fc = clippedImageSize is null ? Linear(8 * width, numClasses) : new ClippedLinear(8 * width, numClasses);
        FeatureDim = 8 * width;
        RegisterComponents();
    }

    /// <inheritdoc />
    public override string Architecture => ImageSize is null ? nameof(ResNet18) : nameof(ResNet18) + " (1-Lipschitz)";

    private static Sequential Stage(int cIn, int cOut, int stride, ref int? side)
    {
        var first = new BasicBlock(cIn, cOut, stride, side);
        side = (side - 1) / stride + 1;
        return Sequential(first, new BasicBlock(cOut, cOut, 1, side));
    }

    /// <inheritdoc />
    public override int FeatureDim { get; }

    /// <summary>σ̂ of every clipped layer in module order (the power-iteration estimates, before clipping); empty when unclipped.</summary>
    public double[] SpectralNorms() => Clipped(c => c.SpectralNorm(), l => l.SpectralNorm());

    /// <summary>Every clipped layer's operator norm as used, from fresh power iterations (≤ 1 once the estimates have converged).</summary>
    public double[] ClippedNorms(int iterations = 200) => Clipped(c => c.ClippedNorm(iterations), l => l.ClippedNorm(iterations));

    private double[] Clipped(Func<ClippedConv2d, double> conv, Func<ClippedLinear, double> dense) =>
        modules().SelectMany(m => m switch
        {
            ClippedConv2d c => [conv(c)],
            ClippedLinear l => [dense(l)],
            _ => Array.Empty<double>(),
        }).ToArray();

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
