using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Unlearning.Models;

/// <summary>
/// Wide-ResNet-d-k (Zagoruyko &amp; Komodakis), the Potion paper's CIFAR-100 model (WRN-28×10): depth d = 6n + 4,
/// three stages of n <see cref="WideBasic"/> blocks at 16k/32k/64k channels, BN-ReLU, global average pool, linear.
/// </summary>
public sealed class WideResNet : ImageClassifier
{
    private readonly Conv2d conv1;
    private readonly Sequential block1;
    private readonly Sequential block2;
    private readonly Sequential block3;
    private readonly BatchNorm2d bn;
    private readonly Linear fc;

    /// <summary>Creates WRN-<paramref name="depth"/>-<paramref name="widen"/>.</summary>
    public WideResNet(int depth = 28, int widen = 10, int inChannels = 3, int numClasses = 10, double dropRate = 0.0) : base(nameof(WideResNet), inChannels, null, numClasses)
    {
        if ((depth - 4) % 6 != 0) throw new ArgumentException($"Wide-ResNet depth {depth} must be 6n + 4", nameof(depth));
        int n = (depth - 4) / 6;
        int[] w = [16, 16 * widen, 32 * widen, 64 * widen];
        conv1 = Conv2d(inChannels, w[0], kernel_size: 3, stride: 1, padding: 1, bias: false);
        block1 = Stage(w[0], w[1], n, 1, dropRate);
        block2 = Stage(w[1], w[2], n, 2, dropRate);
        block3 = Stage(w[2], w[3], n, 2, dropRate);
        bn = BatchNorm2d(w[3]);
        fc = Linear(w[3], numClasses);
        FeatureDim = w[3];
        RegisterComponents();
    }

    private static Sequential Stage(int cIn, int cOut, int n, int stride, double dropRate)
    {
        var blocks = new List<Module<Tensor, Tensor>>();
        for (int i = 0; i < n; i++) blocks.Add(new WideBasic(i == 0 ? cIn : cOut, cOut, i == 0 ? stride : 1, dropRate));
        return Sequential(blocks);
    }

    /// <inheritdoc />
    public override int FeatureDim { get; }

    /// <inheritdoc />
    public override Tensor Features(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = block3.forward(block2.forward(block1.forward(conv1.forward(x))));
        h = functional.relu(bn.forward(h));
        return functional.adaptive_avg_pool2d(h, 1).flatten(1).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override Tensor Head(Tensor features) => fc.forward(features);
}
