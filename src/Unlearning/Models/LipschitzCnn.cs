using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Unlearning.Models;

/// <summary>
/// <see cref="SmallCnn"/> with 1-Lipschitz convolutional and fully-connected layers and batch normalisation after each
/// convolution — the ci-scale stand-in for AMUN §6.2.2's robust model (Table 3: a ResNet-18 whose convolutional and
/// fully-connected layers are 1-Lipschitz, a clipped <see cref="ResNet18"/> here; its batch norms are not clipped, so the
/// network's constant is controlled, not 1, and it still fits its data). Each layer is clipped by <see cref="SpectralClip"/>;
/// its poolings run in ceil mode like the SmallCnn's (every input pixel reaches the logits);
/// the power-iteration vectors are buffers (<c>conv1_v</c> … <c>fc2_v</c>): saved, copied and moved with the weights.
/// </summary>
public sealed class LipschitzCnn : ImageClassifier
{
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly Linear fc1;
    private readonly Linear fc2;
    private readonly Tensor conv1_v;
    private readonly Tensor conv2_v;
    private readonly Tensor fc1_v;
    private readonly Tensor fc2_v;

    /// <summary>Creates the network for <paramref name="inChannels"/>×<paramref name="imageSize"/>² inputs.</summary>
    public LipschitzCnn(int inChannels = 1, int imageSize = 28, int numClasses = 10) : base(nameof(LipschitzCnn), inChannels, imageSize, numClasses)
    {
        int first = MaxPool2x2.CeilSide(imageSize - 2), side = MaxPool2x2.CeilSide(first - 2);
        conv1 = Conv2d(inChannels, 32, kernel_size: 3);
        bn1 = BatchNorm2d(32);
        conv2 = Conv2d(32, 64, kernel_size: 3);
        bn2 = BatchNorm2d(64);
        fc1 = Linear(64 * side * side, 128);
        fc2 = Linear(128, numClasses);
        conv1_v = Unit(randn(1, inChannels, imageSize, imageSize));
        conv2_v = Unit(randn(1, 32, first, first));
        fc1_v = Unit(randn(64 * side * side));
        fc2_v = Unit(randn(128));
        RegisterComponents();
    }

    /// <inheritdoc />
    public override int FeatureDim => 128;

    /// <summary>
    /// The operator norms of the four clipped layers as used (W / max(1, σ̂)), each from <paramref name="iterations"/> fresh
    /// power iterations independent of the stored vectors: ≤ 1 once the stored estimates have converged.
    /// </summary>
    public double[] ClippedNorms(int iterations = 200)
    {
        using var scope = NewDisposeScope();
        var s = SpectralNorms();
        double Power(Func<Tensor, Tensor> a, Func<Tensor, Tensor> at, Tensor v) => SpectralClip.OperatorNorm(a, at, v, iterations);
        var w1 = conv1.weight!; var w2 = conv2.weight!; var w3 = fc1.weight!; var w4 = fc2.weight!;
        return
        [
            Power(v => functional.conv2d(v, w1), u => functional.conv_transpose2d(u, w1), Unit(SpectralClip.RandomStart(conv1_v))) / Math.Max(1, s[0]),
            Power(v => functional.conv2d(v, w2), u => functional.conv_transpose2d(u, w2), Unit(SpectralClip.RandomStart(conv2_v))) / Math.Max(1, s[1]),
            Power(v => w3.matmul(v), u => w3.t().matmul(u), Unit(SpectralClip.RandomStart(fc1_v))) / Math.Max(1, s[2]),
            Power(v => w4.matmul(v), u => w4.t().matmul(u), Unit(SpectralClip.RandomStart(fc2_v))) / Math.Max(1, s[3]),
        ];
    }

    /// <summary>The current estimates σ̂ of the four layers' operator norms (before clipping).</summary>
    public double[] SpectralNorms()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return
        [
            functional.conv2d(conv1_v, conv1.weight!).norm().item<float>(),
            functional.conv2d(conv2_v, conv2.weight!).norm().item<float>(),
            fc1.weight!.matmul(fc1_v).norm().item<float>(),
            fc2.weight!.matmul(fc2_v).norm().item<float>(),
        ];
    }

    /// <inheritdoc />
    public override Tensor Features(Tensor x)
    {
        using var scope = NewDisposeScope();
        // relu(pool(·)) = pool(relu(·)), values and gradients alike (see SmallCnn); ReLU then runs on a quarter of the elements.
        var h = functional.relu(Pool(bn1.forward(Conv(conv1, conv1_v, x))));
        h = functional.relu(Pool(bn2.forward(Conv(conv2, conv2_v, h))));
        return functional.relu(Dense(fc1, fc1_v, h.flatten(1))).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override Tensor Head(Tensor features)
    {
        using var scope = NewDisposeScope();
        return Dense(fc2, fc2_v, features).MoveToOuterDisposeScope();
    }

    private static Tensor Pool(Tensor x) => MaxPool2x2.ApplyCeil(x);

    private Tensor Conv(Conv2d layer, Tensor v, Tensor x) => SpectralClip.Conv(x, layer.weight!, layer.bias, v, training);

    private Tensor Dense(Linear layer, Tensor v, Tensor x) => SpectralClip.Dense(x, layer.weight!, layer.bias, v, training);

    private static Tensor Unit(Tensor t) => SpectralClip.Unit(t);
}
