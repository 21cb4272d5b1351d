using System.Security.Cryptography;
using Unlearning.Data;
using static TorchSharp.torch;

namespace Unlearning.Guard;

/// <summary>
/// How an unlearning request names a sample: the SHA-256 of its 8-bit pixels (channel, row, column order), as lowercase
/// hex. The pixels are recovered exactly from the dataset's [0, 1] floats (k/255). The label is not part of the name: a
/// requester owns the content, not the annotation.
/// </summary>
public static class ContentHash
{
    /// <summary>The content hash of sample <paramref name="index"/>.</summary>
    public static string Of(ImageDataset data, int index) => Of(data, [index])[0];

    /// <summary>The content hashes of <paramref name="indices"/>, in order.</summary>
    public static string[] Of(ImageDataset data, IReadOnlyList<int> indices)
    {
        foreach (int i in indices)
            if (i < 0 || i >= data.Count) throw new ArgumentOutOfRangeException(nameof(indices), i, $"sample index outside the dataset (0..{data.Count - 1})");
        var hashes = new string[indices.Count];
        foreach (var (chunk, offset) in indices.Chunk(1024).Select((c, k) => (c, k * 1024)))
        {
            using var scope = NewDisposeScope();
            var (x, _) = data.Batch(chunk);
            var bytes = x.Times(255).round().to_type(ScalarType.Byte).reshape(chunk.Length, -1).data<byte>().ToArray();
            int size = bytes.Length / chunk.Length;
            for (int i = 0; i < chunk.Length; i++)
                hashes[offset + i] = Convert.ToHexStringLower(SHA256.HashData(bytes.AsSpan(i * size, size)));
        }
        return hashes;
    }

    /// <summary>True for 64 lowercase or uppercase hex digits.</summary>
    public static bool IsWellFormed(string? hash) => hash is { Length: 64 } && hash.All(Uri.IsHexDigit);
}
