using Reproduce.Tests.Support;
using Unlearning.Models;
using Unlearning.Training;
using Xunit;
using static TorchSharp.torch;

namespace Reproduce.Tests.Library;

[Scale("unit")]
public sealed class ModelCacheTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("repro-cache-").FullName;
    private readonly ModelCache _cache;

    public ModelCacheTests() => _cache = new ModelCache(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ImageClassifier Fresh(long seed) => ModelSpec.SmallCnn.Create(1, 28, 10, seed);

    private (ImageClassifier Model, bool FromCache, int Trainings) Get(string key, long trainedSeed)
    {
        int trainings = 0;
        var (model, fromCache, _) = _cache.GetOrTrain(key, () => Fresh(0), m =>
        {
            trainings++;
            using var donor = Fresh(trainedSeed);
            using (no_grad())
                foreach (var (dst, src) in m.parameters().Zip(donor.parameters())) dst.copy_(src);
            return new Dictionary<string, string> { ["seed"] = trainedSeed.ToString() };
        }, log: _ => { });
        return (model, fromCache, trainings);
    }

    private static bool SameWeights(ImageClassifier a, ImageClassifier b) =>
        a.parameters().Zip(b.parameters()).All(p => p.First.allclose(p.Second, 0, 0));

    [Fact]
    public void Second_request_loads_the_stored_model_and_verifies_it()
    {
        var first = Get("k1", 7);
        Assert.False(first.FromCache);
        Assert.Equal(1, first.Trainings);
        var second = Get("k1", 99);
        Assert.True(second.FromCache);
        Assert.Equal(0, second.Trainings);
        Assert.True(SameWeights(first.Model!, second.Model!));
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));
    }

    [Theory]
    [InlineData("flip-byte")]
    [InlineData("truncate")]
    [InlineData("manifest-garbage")]
    [InlineData("weights-missing")]
    public void Corrupt_entry_is_rejected_and_retrained_never_trusted(string damage)
    {
        Get("k2", 7);
        string weights = _cache.ModelPath("k2"), manifest = _cache.ManifestPath("k2");
        switch (damage)
        {
            case "flip-byte": { var b = File.ReadAllBytes(weights); b[b.Length / 2] ^= 0x40; File.WriteAllBytes(weights, b); break; }
            case "truncate": { var b = File.ReadAllBytes(weights); File.WriteAllBytes(weights, b[..(b.Length / 3)]); break; }
            case "manifest-garbage": File.WriteAllText(manifest, "{ not json"); break;
            case "weights-missing": File.Delete(weights); break;
        }
        string? problem = _cache.TryLoad("k2", Fresh(0));
        Assert.NotNull(problem);
        Assert.NotEqual("absent", problem);
        var again = Get("k2", 8);
        Assert.False(again.FromCache);
        Assert.Equal(1, again.Trainings);
        using var expected = Fresh(8);
        Assert.True(SameWeights(expected, again.Model));
        Assert.Null(_cache.TryLoad("k2", Fresh(0)));
    }

    [Fact]
    public void Nan_weights_are_never_stored_and_never_loaded()
    {
        using var model = Fresh(1);
        using (no_grad()) model.parameters().First()[0, 0, 0, 0] = float.NaN;
        var e = Assert.Throws<InvalidOperationException>(() => _cache.Store("k3", model, new Dictionary<string, string>()));
        Assert.Contains("non-finite weights in conv1.weight", e.Message);
        Assert.False(File.Exists(_cache.ModelPath("k3")));
        // A NaN that reached the disk some other way (a weights file written by hand) is caught on load.
        model.save(_cache.ModelPath("k4"));
        var bytes = File.ReadAllBytes(_cache.ModelPath("k4"));
        File.WriteAllText(_cache.ManifestPath("k4"), System.Text.Json.JsonSerializer.Serialize(new CacheManifest("k4",
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), bytes.Length, DateTime.UtcNow, new Dictionary<string, string>())));
        Assert.Contains("non-finite weights in conv1.weight", _cache.TryLoad("k4", Fresh(0)));
    }

    [Fact]
    public void Keys_that_could_escape_the_directory_are_refused()
    {
        Assert.Throws<ArgumentException>(() => _cache.Store("../x", Fresh(1), new Dictionary<string, string>()));
    }

    private static readonly CacheLockOptions Quick = new(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(400), TimeSpan.FromMilliseconds(20));

    private static (ImageClassifier Model, bool FromCache) GetSlowly(ModelCache cache, string key, long seed, ref int trainings, TimeSpan took, List<string>? log = null)
    {
        int counted = 0;
        var (model, fromCache, _) = cache.GetOrTrain(key, () => Fresh(0), m =>
        {
            Interlocked.Increment(ref counted);
            Thread.Sleep(took);
            using var donor = Fresh(seed);
            using (no_grad())
                foreach (var (dst, src) in m.parameters().Zip(donor.parameters())) dst.copy_(src);
            return new Dictionary<string, string> { ["seed"] = seed.ToString() };
        }, log: line => { lock (log ?? []) log?.Add(line); });
        Interlocked.Add(ref trainings, counted);
        return (model, fromCache);
    }

    [Fact]
    public void Two_holders_of_one_shared_cache_train_a_key_once_and_the_waiter_loads_it()
    {
        // Two caches on one directory stand for two processes (each its own lock owner); the second asks while the first trains.
        var a = new ModelCache(_dir, Quick);
        var b = new ModelCache(_dir, Quick);
        int trainings = 0;
        var log = new List<string>();
        (ImageClassifier Model, bool FromCache) first = default, second = default;
        var t1 = new Thread(() => first = GetSlowly(a, "shared", 7, ref trainings, TimeSpan.FromMilliseconds(600), log));
        t1.Start();
        SpinWait.SpinUntil(() => File.Exists(a.LockPath("shared")), TimeSpan.FromSeconds(5));
        var t2 = new Thread(() => second = GetSlowly(b, "shared", 99, ref trainings, TimeSpan.Zero, log));
        t2.Start();
        t1.Join();
        t2.Join();
        Assert.Equal(1, trainings);
        Assert.False(first.FromCache);
        Assert.True(second.FromCache);
        Assert.True(SameWeights(first.Model!, second.Model!));
        Assert.Contains(log, l => l.Contains("waiting for"));
        Assert.Single(log, l => l.StartsWith("model cache: trained shared", StringComparison.Ordinal));
        Assert.False(File.Exists(a.LockPath("shared")), "the lock is released after publishing");
    }

    [Fact]
    public void A_lock_left_by_a_dead_process_is_taken_over()
    {
        var cache = new ModelCache(_dir, Quick);
        Directory.CreateDirectory(_dir);
        string lockPath = cache.LockPath("orphan");
        File.WriteAllText(lockPath, """{"Owner":"gone:1:x","Host":"gone","Process":1,"AcquiredUtc":"2026-01-01T00:00:00Z"}""");
        File.SetLastWriteTimeUtc(lockPath, DateTime.UtcNow.AddHours(-1));
        int trainings = 0;
        var log = new List<string>();
        var (_, fromCache) = GetSlowly(cache, "orphan", 7, ref trainings, TimeSpan.Zero, log);
        Assert.False(fromCache);
        Assert.Equal(1, trainings);
        Assert.Contains(log, l => l.Contains("took over the stale lock") && l.Contains("gone:1:x"));
        Assert.False(File.Exists(lockPath));
    }

    [Fact]
    public void A_held_lock_beats_and_its_release_spares_a_lock_that_is_no_longer_its_own()
    {
        Directory.CreateDirectory(_dir);
        string path = Path.Combine(_dir, "beat.lock");
        var held = CacheLock.Acquire(path, () => false, Quick)!;
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(-5));
        Assert.True(SpinWait.SpinUntil(() => DateTime.UtcNow - File.GetLastWriteTimeUtc(path) < TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)),
            "the heartbeat touches the lock file");
        File.WriteAllText(path, """{"Owner":"someone-else","Host":"h","Process":2,"AcquiredUtc":"2026-01-01T00:00:00Z"}""");
        held.Dispose();
        Assert.Equal("someone-else", CacheLock.Read(path)?.Owner);
        Assert.Throws<ArgumentException>(() => new CacheLockOptions(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(1)).Validate());
    }
}
