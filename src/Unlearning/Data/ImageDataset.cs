using TorchSharp;
using static TorchSharp.torch;

namespace Unlearning.Data;

/// <summary>
/// A labelled image dataset held in native memory: images as float32 [N, C, H, W] scaled to [0, 1]
/// (not normalised: the attacks of AMUN Alg. 1 clamp to this range), labels as int64 [N].
/// Datasets that come with an official train/test partition keep it in <see cref="OfficialTest"/>.
/// </summary>
public sealed class ImageDataset : IDisposable
{
    /// <summary>Creates a dataset from byte pixels [N, C, H, W] (or [N, H, W] for one channel) and labels.</summary>
    public ImageDataset(string name, IdxArray pixels, byte[] labels, int numClasses, string contentSha256, int[]? officialTest = null)
    {
        if (pixels.Count != labels.Length)
            throw new InvalidDataException($"{name}: {pixels.Count} images but {labels.Length} labels");
        int[] shape = pixels.Shape.Length == 3 ? [pixels.Count, 1, pixels.Shape[1], pixels.Shape[2]] : pixels.Shape;
        if (shape.Length != 4) throw new InvalidDataException($"{name}: image array has rank {pixels.Shape.Length}, expected 3 or 4");
        Name = name;
        NumClasses = numClasses;
        ContentSha256 = contentSha256;
        Labels = labels.Select(l => (int)l).ToArray();
        if (Labels.Any(l => l < 0 || l >= numClasses))
            throw new InvalidDataException($"{name}: label outside 0..{numClasses - 1}");
        OfficialTest = officialTest;
        using (var scope = NewDisposeScope())
        {
            var u8 = tensor(pixels.Data, dtype: ScalarType.Byte).reshape(shape.Select(s => (long)s).ToArray());
            Images = u8.to_type(ScalarType.Float32).OverInPlace(255).DetachFromDisposeScope();
            LabelTensor = tensor(Labels.Select(l => (long)l).ToArray(), dtype: ScalarType.Int64).DetachFromDisposeScope();
        }
    }

    /// <summary>Display name, e.g. "mnist-10k".</summary>
    public string Name { get; }

    /// <summary>Number of classes.</summary>
    public int NumClasses { get; }

    /// <summary>SHA-256 of the decoded payload (images then labels): identifies the data in scenario hashes and reports.</summary>
    public string ContentSha256 { get; }

    /// <summary>Images, float32 [N, C, H, W] in [0, 1].</summary>
    public Tensor Images { get; }

    /// <summary>Labels, int64 [N].</summary>
    public Tensor LabelTensor { get; }

    /// <summary>Managed copy of the labels for bookkeeping.</summary>
    public int[] Labels { get; }

    /// <summary>Indices of the official test partition, or null for a single pool that splits must cut.</summary>
    public int[]? OfficialTest { get; }

    /// <summary>Number of samples.</summary>
    public int Count => Labels.Length;

    /// <summary>Channels, height, width of one image.</summary>
    public (int C, int H, int W) ImageShape => ((int)Images.shape[1], (int)Images.shape[2], (int)Images.shape[3]);

    /// <summary>Gathers the samples at <paramref name="indices"/>; the tensors belong to the caller's dispose scope.</summary>
    public (Tensor X, Tensor Y) Batch(ReadOnlySpan<int> indices)
    {
        var idx = new long[indices.Length];
        for (int i = 0; i < idx.Length; i++) idx[i] = indices[i];
        var t = tensor(idx, dtype: ScalarType.Int64);
        return (Images.index_select(0, t), LabelTensor.index_select(0, t));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Images.Dispose();
        LabelTensor.Dispose();
    }
}
