using Reproduce.Tests.Support;
using Unlearning.Data;
using Unlearning.Models;
using Unlearning.Training;
using Unlearning.Unlearning;
using Xunit;

namespace Reproduce.Tests.Library;

/// <summary>SISA's bookkeeping and exact deletion (Healing §3) on a small ensemble: 3 shards × 3 slices of 270 digits.</summary>
public sealed class SisaTests
{
    private static readonly SisaConfig Config = new(Shards: 3, Slices: 3, TrainingConfig.Adam(epochs: 5, batchSize: 16));
    // The embedded digits are stored class by class: stride across the whole set so every shard sees every class.
    private static readonly int[] Train = Enumerable.Range(0, 270).Select(i => i * 37).ToArray();

    private static SisaEnsemble Build() =>
        SisaEnsemble.Train(k => ModelSpec.SmallCnn.Create(1, 28, 10, 40 + k), Shared.Catalog.Load(DatasetId.Mnist10k), Train, Config, seed: 5);

    [Theory, Scale("unit")]
    [InlineData(10, 5, 2, 3)]
    [InlineData(1, 5, 1, 1)]
    [InlineData(200, 5, 40, 67)]
    [InlineData(10, 1, 10, 10)]
    public void Slice_schedules_spread_the_epoch_budget_as_defined(int epochs, int slices, int spread, int sameVisits)
    {
        // Spread: ⌈e/R⌉ per step. Same visits: 2e/(R+1) per step, so Σ_j e′·j/R over the R cumulative steps is ≈ e shard-epochs.
        Assert.Equal(spread, Unlearning.Healing.DeletionExperiment.StepEpochs(epochs, slices, Unlearning.Healing.SliceSchedule.SpreadEpochs));
        int e = Unlearning.Healing.DeletionExperiment.StepEpochs(epochs, slices, Unlearning.Healing.SliceSchedule.SameSampleVisits);
        Assert.Equal(sameVisits, e);
        double visits = Enumerable.Range(1, slices).Sum(j => e * (double)j / slices);
        Assert.InRange(visits, epochs - (slices + 1) / 2.0, epochs + (slices + 1) / 2.0);
    }

    [Fact, Scale("unit")]
    public void Partition_is_contiguous_complete_and_near_equal()
    {
        var parts = SisaEnsemble.Partition(Enumerable.Range(0, 11).ToArray(), 3);
        Assert.Equal([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10]], parts);
        Assert.Equal(Enumerable.Range(0, 11), parts.SelectMany(p => p));
        Assert.Throws<ArgumentException>(() => new SisaConfig(0, 2, Config.Training).Validate());
    }

    [Theory, Scale("smoke")]
    [InlineData(0)]
    [InlineData(2)]
    public void Deleting_a_sample_retrains_only_its_shard_from_its_slice_and_equals_training_that_shard_from_scratch(int slice)
    {
        using var sisa = Build();
        int shard = 1, victim = sisa.SlicesOf(shard)[slice][3];
        var before = sisa.Models.Select(m => m.parameters().Select(p => p.clone()).ToList()).ToList();

        var report = sisa.Delete([victim]);

        Assert.Equal(1, report.ShardsRetrained);
        Assert.Equal(Config.Slices - slice, report.SliceStepsRerun);
        Assert.DoesNotContain(victim, sisa.SlicesOf(shard).SelectMany(s => s));
        foreach (int k in new[] { 0, 2 })
            Assert.All(sisa.Models[k].parameters().Zip(before[k]), p => Assert.True(p.First.allclose(p.Second, 0, 0)));
        Assert.Contains(sisa.Models[shard].parameters().Zip(before[shard]), p => !p.First.allclose(p.Second, 0, 0));

        // The same shard trained from scratch on what remains, step by step with the same seeds.
        var data = Shared.Catalog.Load(DatasetId.Mnist10k);
        using var scratch = ModelSpec.SmallCnn.Create(1, 28, 10, 40 + shard);
        for (int j = 0; j < Config.Slices; j++)
            new Trainer().Fit(scratch, data, sisa.SlicesOf(shard).Take(j + 1).SelectMany(s => s).ToArray(), Config.Training, SisaEnsemble.StepSeed(5, shard, j));
        Assert.All(sisa.Models[shard].parameters().Zip(scratch.parameters()), p => Assert.True(p.First.allclose(p.Second, 0, 0)));
    }

    [Fact, Scale("smoke")]
    public void Bad_deletions_are_refused_and_change_nothing()
    {
        using var sisa = Build();
        var before = sisa.Models[0].parameters().Select(p => p.clone()).ToList();
        int member = sisa.SlicesOf(0)[0][0];
        Assert.Contains("not in the SISA training set: 1", Assert.Throws<ArgumentException>(() => sisa.Delete([1])).Message);
        Assert.Contains("twice", Assert.Throws<ArgumentException>(() => sisa.Delete([member, member])).Message);
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => sisa.Delete([])).Message);
        Assert.Contains("empties shard 0", Assert.Throws<ArgumentException>(() => sisa.Delete(sisa.SlicesOf(0).SelectMany(s => s).ToArray())).Message);
        Assert.Equal(90, sisa.SlicesOf(0).Sum(s => s.Count));
        Assert.All(sisa.Models[0].parameters().Zip(before), p => Assert.True(p.First.allclose(p.Second, 0, 0)));
        double accuracy = sisa.Accuracy(Enumerable.Range(0, 200).Select(i => i * 50 + 3).ToArray());
        Assert.InRange(accuracy, 0.2, 1.0); // 90 digits per shard, a few dozen steps: at least twice chance (measured 0.295)
    }
}
