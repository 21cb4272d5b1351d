using TorchSharp;
using Unlearning.Data;
using static TorchSharp.torch;

namespace Unlearning.Training;

/// <summary>
/// The standard CIFAR training augmentation, used by the paper-scale CIFAR-10 scenarios (the Potion reference trains its
/// ResNet-9 with it; AMUN's ResNet-18 needs it to reach the paper's test accuracy): each image is padded by <see cref="Padding"/> zero pixels on every side (black, the images being in
/// [0, 1]), a window of the original size is cut at a random offset, and with <see cref="HorizontalFlip"/> the window
/// is mirrored left–right with probability ½. Offsets and flips are drawn per image from the trainer's seed, so a run
/// stays reproducible. Applied to a batch before any <see cref="BatchTransform"/> — a poison trigger is stamped on the
/// augmented image, as the Potion reference does ("applied after augmentation").
/// </summary>
/// <param name="Padding">Zero pixels added on each side before the crop (reference: 4).</param>
/// <param name="HorizontalFlip">Mirror left–right with probability ½.</param>
public sealed record Augmentation(int Padding = 4, bool HorizontalFlip = true)
{
    /// <summary>Random 32×32 crops of the 4-pixel padded image and random horizontal flips.</summary>
    public static Augmentation CropAndFlip { get; } = new();

    /// <summary>Throws on settings that cannot run.</summary>
    public Augmentation Validate()
    {
        if (Padding < 0) throw new ArgumentException($"augmentation padding = {Padding} must be ≥ 0");
        return this;
    }

    /// <summary>
    /// Augments a batch [N, C, H, W] (the result lives in the caller's dispose scope). Offsets (dy, dx) ∈ [0, 2·Padding]²
    /// and flips are drawn from <paramref name="rng"/> in sample order; the crop and flip are two gathers, no per-sample loop.
    /// </summary>
    public Tensor Apply(Tensor x, SeededRandom rng)
    {
        Validate();
        if (x.dim() != 4) throw new ArgumentException($"augmentation expects a batch [N, C, H, W], got [{string.Join(", ", x.shape)}]");
        long n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3];
        int p = Padding;
        var rows = new long[n * h];
        var cols = new long[n * w];
        for (long i = 0; i < n; i++)
        {
            int dy = rng.NextInt(2 * p + 1), dx = rng.NextInt(2 * p + 1);
            bool flip = HorizontalFlip && rng.NextInt(2) == 1;
            for (long r = 0; r < h; r++) rows[i * h + r] = dy + r;
            for (long k = 0; k < w; k++) cols[i * w + k] = dx + (flip ? w - 1 - k : k);
        }
        var padded = p > 0 ? nn.functional.pad(x, [p, p, p, p]) : x;
        var rowIndex = tensor(rows, dtype: ScalarType.Int64, device: x.device).view(n, 1, h, 1).expand(n, c, h, w + 2 * p);
        var colIndex = tensor(cols, dtype: ScalarType.Int64, device: x.device).view(n, 1, 1, w).expand(n, c, h, w);
        return padded.gather(2, rowIndex).gather(3, colIndex);
    }
}
