using Reproduce.Tests.Support;
using Unlearning.Scenarios;
using Unlearning.Training;
using Xunit;

namespace Reproduce.Tests.Library;

[Scale("unit")]
public sealed class TrainingCostsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("repro-costs-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private void Entry(string key, Scenario s, int trainImages, double seconds, string? name = null)
    {
        var metadata = new Dictionary<string, string>
        {
            ["scenario"] = s.CanonicalJson(),
            ["seconds"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["images"] = (trainImages * s.Training.Epochs).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["trainImages"] = trainImages.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (name != null) metadata["name"] = name;
        var manifest = new CacheManifest(key, new string('0', 64), 1, DateTime.UnixEpoch, metadata);
        File.WriteAllText(Path.Combine(_dir, key + ".json"), System.Text.Json.JsonSerializer.Serialize(manifest));
    }

    [Fact]
    public void Trainings_group_by_scenario_without_its_seed_and_by_training_set_size_most_expensive_first()
    {
        var b = ScaleProfile.Ci.BaseModel(Unlearning.Data.DatasetId.Mnist10k);
        Entry("a1", b.WithSeed(1), 8000, 40, b.WithSeed(1).Name);
        Entry("a2", b.WithSeed(2), 8000, 44, b.WithSeed(2).Name);
        Entry("a3", b, 1600, 9, b.Name);      // a shard of the same scenario: its own row
        Entry("a4", b, 8000, 100, "gold");
        Entry("a5", b, 8000, 1);              // written before manifests carried names
        var costs = TrainingCosts.Read(_dir);
        Assert.Equal(["gold", b.Name, b.Name, "(unnamed)"], costs.Select(c => c.Scenario));
        Assert.Equal([100.0, 84.0, 9.0, 1.0], costs.Select(c => c.Seconds));
        Assert.Equal(2, costs[1].Models);
        Assert.Equal(1600, costs[2].TrainImages);
        Assert.All(costs, c => Assert.Equal("SmallCnn", c.Model));
        Assert.Equal(b.Training.Epochs, costs[0].Epochs);
        Assert.Equal(16000.0 * b.Training.Epochs / 84, costs[1].ImagesPerSecond, 9);
    }

    [Fact]
    public void A_manifest_that_is_not_one_is_named()
    {
        File.WriteAllText(Path.Combine(_dir, "bad.json"), "{ not json");
        var e = Assert.Throws<InvalidDataException>(() => TrainingCosts.Read(_dir));
        Assert.Contains("bad.json", e.Message);
        Assert.Throws<DirectoryNotFoundException>(() => TrainingCosts.Read(Path.Combine(_dir, "absent")));
    }
}
