namespace Unlearning.Data;

/// <summary>
/// Reads the CIFAR-10 binary version (<c>cifar-10-batches-bin/</c>): each record is one label byte followed by
/// 3,072 pixel bytes (1,024 red, 1,024 green, 1,024 blue, row-major 32×32). Training = data_batch_1..5.bin
/// (10,000 records each), test = test_batch.bin.
/// </summary>
public static class Cifar10Reader
{
    /// <summary>Bytes per record: label + 3×32×32 pixels.</summary>
    public const int RecordSize = 1 + 3 * 32 * 32;

    /// <summary>The official MD5 of <c>cifar-10-binary.tar.gz</c>, for users who keep the archive beside the batches.</summary>
    public const string ArchiveMd5 = "c32a1d4ab5d03f1284b67883e8d87530";

    /// <summary>File names of the training batches.</summary>
    public static readonly string[] TrainFiles = ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"];

    /// <summary>File name of the test batch.</summary>
    public const string TestFile = "test_batch.bin";

    /// <summary>Reads one batch file into images [N,3,32,32] (bytes) and labels.</summary>
    public static (IdxArray Images, byte[] Labels) ReadBatch(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: CIFAR-10 batch file not found", path);
        byte[] raw = File.ReadAllBytes(path);
        if (raw.Length == 0 || raw.Length % RecordSize != 0)
            throw new InvalidDataException($"{path}: truncated or corrupt CIFAR-10 batch: {raw.Length} bytes is not a positive multiple of the {RecordSize}-byte record");
        int n = raw.Length / RecordSize;
        var labels = new byte[n];
        var pixels = new byte[n * (RecordSize - 1)];
        for (int i = 0; i < n; i++)
        {
            byte label = raw[i * RecordSize];
            if (label > 9) throw new InvalidDataException($"{path}: record {i} has label {label}, outside 0..9");
            labels[i] = label;
            Buffer.BlockCopy(raw, i * RecordSize + 1, pixels, i * (RecordSize - 1), RecordSize - 1);
        }
        return (new IdxArray([n, 3, 32, 32], pixels), labels);
    }

    /// <summary>Reads and concatenates several batch files.</summary>
    public static (IdxArray Images, byte[] Labels) ReadBatches(IEnumerable<string> paths)
    {
        var parts = paths.Select(ReadBatch).ToList();
        int n = parts.Sum(p => p.Labels.Length);
        var pixels = new byte[n * (RecordSize - 1)];
        var labels = new byte[n];
        int at = 0;
        foreach (var (images, l) in parts)
        {
            Buffer.BlockCopy(images.Data, 0, pixels, at * (RecordSize - 1), images.Data.Length);
            Buffer.BlockCopy(l, 0, labels, at, l.Length);
            at += l.Length;
        }
        return (new IdxArray([n, 3, 32, 32], pixels), labels);
    }
}
