using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Unlearning.Models;

/// <summary>
/// The MNIST-class CNN used at ci scale (the Healing paper's "small CNN" row of Table 1):
/// Conv(C→32, 3) ReLU MaxPool(2) Conv(32→64, 3) ReLU MaxPool(2) Flatten Linear(→128) ReLU Linear(128→classes).
/// The poolings run in ceil mode and keep an odd last row and column (28 → 26 → 13 → 11 → 6), so every input pixel reaches
/// the logits. In floor mode (28 → 26 → 13 → 11 → 5) the second pooling would drop the second convolution's last row and
/// column, and the bottom two rows and right two columns of the input (108 of 784 pixels) — where BadNet-style triggers are
/// stamped — would never reach them.
/// </summary>
public sealed class SmallCnn : ImageClassifier
{
    private readonly Conv2d conv1;
    private readonly Conv2d conv2;
    private readonly Linear fc1;
    private readonly Linear fc2;

    /// <summary>Creates the network for <paramref name="inChannels"/>×<paramref name="imageSize"/>² inputs.</summary>
    public SmallCnn(int inChannels = 1, int imageSize = 28, int numClasses = 10) : base(nameof(SmallCnn), inChannels, imageSize, numClasses)
    {
        int side = MaxPool2x2.CeilSide(MaxPool2x2.CeilSide(imageSize - 2) - 2);
        conv1 = Conv2d(inChannels, 32, kernel_size: 3);
        conv2 = Conv2d(32, 64, kernel_size: 3);
        fc1 = Linear(64 * side * side, 128);
        fc2 = Linear(128, numClasses);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override int FeatureDim => 128;

    /// <inheritdoc />
    public override Tensor Features(Tensor x)
    {
        using var scope = NewDisposeScope();
        // relu(pool(·)) = pool(relu(·)) value for value and gradient for gradient (ReLU is monotone and keeps the
        // window's first maximum where it is positive); pooling first applies ReLU to a quarter of the elements.
        var h = functional.relu(Pool(conv1.forward(x)));
        h = functional.relu(Pool(conv2.forward(h)));
        return functional.relu(fc1.forward(h.flatten(1))).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override Tensor Head(Tensor features) => fc2.forward(features);

    private static Tensor Pool(Tensor x) => MaxPool2x2.ApplyCeil(x);
}
