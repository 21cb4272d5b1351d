using System.Security.Cryptography;
using System.Text.Json;
using TorchSharp;
using Unlearning.Data;
using Unlearning.Models;
using static TorchSharp.torch;

namespace Unlearning.Training;

/// <summary>The manifest written beside a cached model; written last, so its presence commits the entry.</summary>
public sealed record CacheManifest(string Key, string Sha256, long Bytes, DateTime CreatedUtc, IReadOnlyDictionary<string, string> Metadata);

/// <summary>
/// Trained models keyed by scenario hash. Writes are atomic (temp file + rename; the manifest last). On load the
/// file's SHA-256 must match the manifest and every weight must be finite; a corrupt, truncated or mismatched
/// entry is reported, deleted and retrained — never trusted.
/// </summary>
public sealed class ModelCache
{
    /// <summary>Environment variable overriding the cache directory.</summary>
    public const string DirectoryVariable = "REPRO_CACHE";

    private readonly CacheLockOptions _locks;

    /// <summary>
    /// Creates a cache in <paramref name="directory"/> (created on first write); <paramref name="locks"/> times the locks that
    /// let several processes share it (<see cref="CacheLockOptions.Default"/>).
    /// </summary>
    public ModelCache(string directory, CacheLockOptions? locks = null)
    {
        Directory = Path.GetFullPath(directory);
        _locks = (locks ?? CacheLockOptions.Default).Validate();
    }

    /// <summary>The cache directory.</summary>
    public string Directory { get; }

    /// <summary>The default location: <c>REPRO_CACHE</c>, else <c>.cache/models</c> in the repository, else the user cache.</summary>
    public static ModelCache Default()
    {
        string? env = Environment.GetEnvironmentVariable(DirectoryVariable);
        if (!string.IsNullOrWhiteSpace(env)) return new ModelCache(env);
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Reproduce.sln")))
                return new ModelCache(Path.Combine(d.FullName, ".cache", "models"));
        string home = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
        return new ModelCache(Path.Combine(home, "reproduce", "models"));
    }

    /// <summary>Path of the weights file for <paramref name="key"/>.</summary>
    public string ModelPath(string key) => Path.Combine(Directory, key + ".weights");

    /// <summary>Path of the lock a process holds while it trains <paramref name="key"/>.</summary>
    public string LockPath(string key) => Path.Combine(Directory, key + ".lock");

    /// <summary>The keys of the entries whose manifest is present (published), in ordinal order.</summary>
    public IEnumerable<string> Keys() =>
        System.IO.Directory.Exists(Directory)
            ? System.IO.Directory.EnumerateFiles(Directory, "*.json").Select(p => Path.GetFileNameWithoutExtension(p)).Order(StringComparer.Ordinal)
            : [];

    /// <summary>Path of the manifest for <paramref name="key"/>.</summary>
    public string ManifestPath(string key) => Path.Combine(Directory, key + ".json");

    /// <summary>
    /// Returns the cached model for <paramref name="key"/> if it verifies; otherwise builds a fresh one with
    /// <paramref name="create"/>, trains it with <paramref name="train"/> (which returns metadata to record) and stores it.
    /// Processes sharing the directory train a key once: the trainer holds the entry's <see cref="CacheLock"/>, the others
    /// wait for it and load what it publishes (or take the lock over when its holder stopped beating).
    /// </summary>
    public (ImageClassifier Model, bool FromCache, IReadOnlyDictionary<string, string> Metadata) GetOrTrain(string key, Func<ImageClassifier> create,
        Func<ImageClassifier, IReadOnlyDictionary<string, string>> train, Action<string>? log = null)
    {
        ValidateKey(key);
        var model = create();
        (ImageClassifier, bool, IReadOnlyDictionary<string, string>) FromCache() => (model, true, ReadManifest(key)?.Metadata ?? new Dictionary<string, string>());
        for (int attempt = 1; ; attempt++)
        {
            if (Loaded(key, ref model, create, log)) return FromCache();
            if (attempt > 5) throw new IOException($"{ManifestPath(key)}: another process keeps publishing an entry that does not verify; giving up on {key}");
            System.IO.Directory.CreateDirectory(Directory);
            using var held = CacheLock.Acquire(LockPath(key), () => File.Exists(ManifestPath(key)), _locks, log);
            if (held == null) continue; // published while we waited: verify it above
            if (Loaded(key, ref model, create, log)) return FromCache();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var metadata = train(model);
            Store(key, model, metadata);
            // One line per model trained: with several processes on one cache, the logs show each key trained once.
            log?.Invoke($"model cache: trained {key} in {clock.Elapsed.TotalSeconds:0.0} s");
            return (model, false, metadata);
        }
    }

    /// <summary>
    /// Loads a verified entry into <paramref name="model"/>; else evicts a bad one, logs why, and gives back a fresh model (a
    /// failed load may have written some of the weights).
    /// </summary>
    private bool Loaded(string key, ref ImageClassifier model, Func<ImageClassifier> create, Action<string>? log)
    {
        string? problem = TryLoad(key, model);
        if (problem == null) return true;
        if (problem == "absent") return false;
        log?.Invoke($"model cache: entry {key} rejected ({problem}); retraining");
        Evict(key);
        model.Dispose();
        model = create();
        return false;
    }

    /// <summary>Loads <paramref name="key"/> into <paramref name="model"/>; returns null on success, else why not ("absent" when missing).</summary>
    public string? TryLoad(string key, ImageClassifier model)
    {
        string manifestPath = ManifestPath(key), modelPath = ModelPath(key);
        if (!File.Exists(manifestPath)) return "absent";
        CacheManifest? manifest;
        try { manifest = ReadManifest(key); }
        catch (JsonException e) { return $"{manifestPath}: unreadable manifest ({e.Message})"; }
        if (manifest == null || manifest.Key != key) return $"{manifestPath}: manifest does not describe key {key}";
        if (!File.Exists(modelPath)) return $"{modelPath}: weights file missing";
        byte[] bytes = File.ReadAllBytes(modelPath);
        if (bytes.Length != manifest.Bytes) return $"{modelPath}: {bytes.Length} bytes, manifest says {manifest.Bytes} (truncated?)";
        string sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (sha != manifest.Sha256) return $"{modelPath}: SHA-256 {sha[..12]}… differs from the manifest's {manifest.Sha256[..12]}…";
        try { model.load(modelPath, strict: true); }
        catch (Exception e) { return $"{modelPath}: weights do not fit the model ({e.Message})"; }
        string? nonFinite = FirstNonFiniteParameter(model);
        return nonFinite == null ? null : $"{modelPath}: non-finite weights in {nonFinite}";
    }

    /// <summary>The manifest of <paramref name="key"/>, or null when absent; throws <see cref="JsonException"/> when malformed.</summary>
    public CacheManifest? ReadManifest(string key)
    {
        string path = ManifestPath(key);
        return File.Exists(path) ? JsonSerializer.Deserialize<CacheManifest>(File.ReadAllText(path)) : null;
    }

    /// <summary>Writes the model and its manifest atomically.</summary>
    public void Store(string key, ImageClassifier model, IReadOnlyDictionary<string, string> metadata)
    {
        ValidateKey(key);
        string? nonFinite = FirstNonFiniteParameter(model);
        if (nonFinite != null) throw new InvalidOperationException($"refusing to cache model {key}: non-finite weights in {nonFinite}");
        System.IO.Directory.CreateDirectory(Directory);
        string modelPath = ModelPath(key);
        AtomicFile.Write(modelPath, tmp => model.save(tmp));
        byte[] bytes = File.ReadAllBytes(modelPath);
        var manifest = new CacheManifest(key, Convert.ToHexStringLower(SHA256.HashData(bytes)), bytes.Length, DateTime.UtcNow, metadata);
        AtomicFile.WriteAllText(ManifestPath(key), JsonSerializer.Serialize(manifest, new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>Removes an entry (both files).</summary>
    public void Evict(string key)
    {
        File.Delete(ManifestPath(key));
        File.Delete(ModelPath(key));
    }

    /// <summary>Name of the first parameter or buffer holding NaN or ±∞, or null.</summary>
    public static string? FirstNonFiniteParameter(nn.Module model)
    {
        using var scope = NewDisposeScope();
        foreach (var (name, p) in model.named_parameters())
            if (!p.isfinite().all().item<bool>()) return name;
        foreach (var (name, b) in model.named_buffers())
            if (b.is_floating_point() && !b.isfinite().all().item<bool>()) return name;
        return null;
    }

    private static void ValidateKey(string key)
    {
        if (string.IsNullOrWhiteSpace(key) || key.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || key.Contains(".."))
            throw new ArgumentException($"invalid cache key '{key}'", nameof(key));
    }
}
