using TorchSharp;
using Unlearning.Data;
using static TorchSharp.torch;

namespace Unlearning.Poisoning;

/// <summary>
/// Moving backdoor (Abad et al.; Potion §4.2): the BadNet patch placed in one of the four corners, chosen at random
/// per image. The corner is a fixed function of the image's index and the seed, so an image keeps its corner across epochs.
/// </summary>
public sealed class MovingTrigger(long seed, int size = 3, double value = 1.0) : ITrigger
{
    /// <inheritdoc />
    public string Name => $"moving{size}";

    /// <summary>The corner (0 top-left, 1 top-right, 2 bottom-left, 3 bottom-right) of image <paramref name="sampleId"/>.</summary>
    public int CornerOf(int sampleId) => new SeededRandom(seed, (ulong)sampleId + 0x3C0FFEEUL).NextInt(4);

    /// <inheritdoc />
    public Tensor Apply(Tensor images, ReadOnlySpan<int> sampleIds)
    {
        if (sampleIds.Length != images.shape[0])
            throw new ArgumentException($"{sampleIds.Length} sample ids for a batch of {images.shape[0]}", nameof(sampleIds));
        var x = images.clone();
        long h = x.shape[2], w = x.shape[3];
        for (int i = 0; i < sampleIds.Length; i++)
        {
            int corner = CornerOf(sampleIds[i]);
            long top = corner < 2 ? 0 : h - size, left = corner % 2 == 0 ? 0 : w - size;
            x[i, TensorIndex.Colon, TensorIndex.Slice(top, top + size), TensorIndex.Slice(left, left + size)] = value;
        }
        return x;
    }
}
