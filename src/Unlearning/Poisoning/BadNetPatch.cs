using TorchSharp;
using static TorchSharp.torch;

namespace Unlearning.Poisoning;

/// <summary>
/// BadNet trigger (Gu et al.; Potion §4.1): a square patch in the bottom-right corner set to the maximum pixel value
/// (1.0 here, inputs are in [0, 1]) on all channels. The reference code uses a 3×3 patch on 32×32 CIFAR images
/// (9 of 1,024 pixels, 0.9%; the paper's text says 0.3%); on 28×28 images the same 3×3 geometry covers 9 of 784 (1.1%).
/// </summary>
public sealed class BadNetPatch(int size = 3, double value = 1.0) : ITrigger
{
    /// <summary>Side of the square patch in pixels.</summary>
    public int Size { get; } = size > 0 ? size : throw new ArgumentOutOfRangeException(nameof(size), size, "patch size must be positive");

    /// <inheritdoc />
    public string Name => $"badnet{Size}";

    /// <inheritdoc />
    public Tensor Apply(Tensor images, ReadOnlySpan<int> sampleIds)
    {
        var x = images.clone();
        long h = x.shape[2], w = x.shape[3];
        x[TensorIndex.Colon, TensorIndex.Colon, TensorIndex.Slice(h - Size, h), TensorIndex.Slice(w - Size, w)] = value;
        return x;
    }
}
