using TorchSharp.Modules;
using Unlearning.Models;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Reproduce.Bench;

/// <summary>
/// The SmallCnn as it was before <see cref="MaxPool2x2"/>: the same layers and parameter names, ReLU then libtorch's
/// <c>max_pool2d</c>. Loaded with a SmallCnn's weights it trains to the same weights bit for bit, only slower.
/// </summary>
public sealed class LibtorchPoolingCnn : ImageClassifier
{
    private readonly Conv2d conv1;
    private readonly Conv2d conv2;
    private readonly Linear fc1;
    private readonly Linear fc2;

    /// <summary>The MNIST-shaped network (1 × 28 × 28, 10 classes).</summary>
    public LibtorchPoolingCnn() : base(nameof(SmallCnn), 1, 28, 10)
    {
        conv1 = Conv2d(1, 32, kernel_size: 3);
        conv2 = Conv2d(32, 64, kernel_size: 3);
        fc1 = Linear(64 * 5 * 5, 128);
        fc2 = Linear(128, 10);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override int FeatureDim => 128;

    /// <inheritdoc />
    public override Tensor Features(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = functional.max_pool2d(functional.relu(conv1.forward(x)), 2);
        h = functional.max_pool2d(functional.relu(conv2.forward(h)), 2);
        return functional.relu(fc1.forward(h.flatten(1))).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override Tensor Head(Tensor features) => fc2.forward(features);
}
