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
        Assert.True(SameWeights(first.Model, second.Model));
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
}
