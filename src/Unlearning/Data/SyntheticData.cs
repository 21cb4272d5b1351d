namespace Unlearning.Data;

/// <summary>
/// Stand-ins of the real shape for a dry run of the paper scale where the real data are absent: as many images as the
/// real dataset, its image shape, 10 classes in equal shares and its official train/test boundary; the pixels are seeded
/// noise. Named "synthetic-…" and hashed apart from the real data, so nothing trained on them is taken for a real model,
/// and never a source of results: a dry run checks that the paper path runs, not what it measures.
/// </summary>
public static class SyntheticData
{
    /// <summary>The real dataset's (images, channels, side, official test size).</summary>
    public static (int Count, int Channels, int Side, int Test) ShapeOf(DatasetId id) => id switch
    {
        DatasetId.Mnist or DatasetId.FashionMnist => (70_000, 1, 28, 10_000),
        DatasetId.Cifar10 => (60_000, 3, 32, 10_000),
        DatasetId.Mnist10k or DatasetId.FashionMnist10k => (10_000, 1, 28, 0),
        _ => throw new ArgumentOutOfRangeException(nameof(id), id, "unknown dataset"),
    };

    /// <summary>A seeded stand-in for <paramref name="id"/> (the same bytes for the same id and seed).</summary>
    public static ImageDataset Like(DatasetId id, long seed = 1)
    {
        var (count, channels, side, test) = ShapeOf(id);
        var rng = new SeededRandom(seed, stream: 0x5A17UL + (ulong)id);
        var pixels = new byte[(long)count * channels * side * side];
        for (int i = 0; i < pixels.Length; i += 8)
        {
            ulong r = rng.NextUInt64();
            for (int k = 0; k < 8 && i + k < pixels.Length; k++) pixels[i + k] = (byte)(r >> (8 * k));
        }
        var labels = new byte[count];
        for (int i = 0; i < count; i++) labels[i] = (byte)(i % 10);
        rng.Shuffle(labels);
        int[] shape = channels == 1 ? [count, side, side] : [count, channels, side, side];
        string name = $"synthetic-{id} (dry run: seeded noise of the real shape, not the real data)";
        string hash = DataCatalog.Sha256Hex(System.Text.Encoding.UTF8.GetBytes($"{name}|{seed}"));
        int[]? officialTest = test > 0 ? [.. Enumerable.Range(count - test, test)] : null;
        return new ImageDataset(name, new IdxArray(shape, pixels), labels, 10, hash, officialTest);
    }
}
