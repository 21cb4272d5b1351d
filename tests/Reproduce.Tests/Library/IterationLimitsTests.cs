using System.Text.Json;
using Reproduce.Tests.Support;
using Unlearning.Data;
using Unlearning.Models;
using Unlearning.Training;
using Unlearning.Unlearning;
using Xunit;
using static TorchSharp.torch;

namespace Reproduce.Tests.Library;

/// <summary>The dry run's caps: a capped training takes its steps and still runs every epoch, a capped evaluation returns one output per sample, and no cap leaves every real configuration's key as it was.</summary>
[Scale("unit")]
public class IterationLimitsTests
{
    private static readonly int[] Train = [.. Enumerable.Range(0, 300)];

    [Fact]
    public void A_capped_training_takes_its_steps_and_still_ends_every_epoch()
    {
        var data = Shared.Catalog.Load(DatasetId.Mnist10k);
        using var model = ModelSpec.SmallCnn.Create(1, 28, 10, 3);
        var ends = new List<int>();
        var report = new Trainer().Fit(model, data, Train, TrainingConfig.Adam(epochs: 3, batchSize: 64) with { Limits = new IterationLimits(Steps: 2, BatchSize: 64) }, 3,
            epochEnd: ends.Add);
        Assert.Equal(2, report.Steps);
        Assert.Equal(128, report.Images);
        var small = new Trainer().Fit(model, data, Train, TrainingConfig.Adam(epochs: 1, batchSize: 64) with { Limits = new IterationLimits(Steps: 2, BatchSize: 8) }, 3);
        Assert.Equal(16, small.Images);
        Assert.Equal([1, 2, 3], ends);
        Assert.Equal(3, report.EpochLosses.Count);
        Assert.All(report.EpochLosses, l => Assert.True(double.IsFinite(l)));
        Assert.Equal(report.EpochLosses[0], report.EpochLosses[2]);
    }

    [Fact]
    public void A_capped_fine_tune_takes_its_steps_and_calls_every_epoch_hook()
    {
        var data = Shared.Catalog.Load(DatasetId.Mnist10k);
        using var model = ModelSpec.SmallCnn.Create(1, 28, 10, 5);
        using var block = TuneBlock.FromData("D_R", data, Train);
        int steps = 0;
        var epochs = new List<int>();
        FineTuning.Run("test", model, [[block]], new FineTuneOptions(4, 0.01, BatchSize: 32, Limits: new IterationLimits(Steps: 3, BatchSize: 32)), 5, 10, CPU,
            new FineTuneHooks { L1 = (_, _) => { steps++; return 0; }, BeforeEpoch = epochs.Add });
        Assert.Equal(3, steps);
        Assert.Equal([0, 1, 2, 3], epochs);
    }

    [Fact]
    public void A_capped_evaluation_scores_its_batches_and_returns_one_output_per_sample()
    {
        var data = Shared.Catalog.Load(DatasetId.Mnist10k);
        using var model = ModelSpec.SmallCnn.Create(1, 28, 10, 4);
        int[] idx = [.. Enumerable.Range(100, 90)];
        var full = new Evaluator(batchSize: 16).Evaluate(model, data, idx, keepLogits: true);
        var capped = new Evaluator(batchSize: 64, limits: new IterationLimits(EvalBatches: 2, BatchSize: 16)).Evaluate(model, data, idx, keepLogits: true);
        Assert.Equal(idx.Length, capped.Predicted.Length);
        Assert.Equal(idx.Length, capped.Logits!.Length);
        Assert.Equal(idx.Select(i => data.Labels[i]), capped.Labels);
        for (int i = 0; i < idx.Length; i++)
        {
            Assert.Equal(full.Predicted[i % 32], capped.Predicted[i]);
            Assert.Equal(full.Phi[i % 32], capped.Phi[i]);
        }
    }

    [Fact]
    public void No_cap_leaves_a_configuration_as_it_was_serialised_and_a_cap_changes_it()
    {
        var config = TrainingConfig.Adam(epochs: 10);
        string plain = JsonSerializer.Serialize(config);
        Assert.DoesNotContain("Limits", plain);
        Assert.NotEqual(plain, JsonSerializer.Serialize(config with { Limits = new IterationLimits() }));
        Assert.Throws<ArgumentException>(() => (config with { Limits = new IterationLimits(Steps: 0) }).Validate());
        Assert.Throws<ArgumentException>(() => new IterationLimits(EvalBatches: 0).Validate());
        Assert.Throws<ArgumentException>(() => new IterationLimits(BatchSize: 0).Validate());
    }
}

/// <summary>The dry run's stand-in data: the real shape, class count and official split, seeded, and only where asked for.</summary>
[Scale("unit")]
public class SyntheticDataTests
{
    [Fact]
    public void A_stand_in_has_the_real_shape_balanced_classes_and_the_official_test_split()
    {
        using var cifar = SyntheticData.Like(DatasetId.Cifar10);
        Assert.Equal(60_000, cifar.Count);
        Assert.Equal((3, 32, 32), cifar.ImageShape);
        Assert.Equal(10_000, cifar.OfficialTest!.Length);
        Assert.Equal(50_000, cifar.OfficialTest[0]);
        Assert.All(Enumerable.Range(0, 10), c => Assert.Equal(6_000, cifar.Labels.Count(l => l == c)));
        Assert.StartsWith("synthetic-", cifar.Name);
        using var mnist = SyntheticData.Like(DatasetId.Mnist);
        using var again = SyntheticData.Like(DatasetId.Mnist);
        Assert.Equal((1, 28, 28), mnist.ImageShape);
        Assert.Equal(mnist.ContentSha256, again.ContentSha256);
        Assert.Equal(mnist.Labels, again.Labels);
        Assert.NotEqual(mnist.ContentSha256, cifar.ContentSha256);
    }

    [Fact]
    public void The_catalog_substitutes_only_when_told_to()
    {
        var root = Directory.CreateTempSubdirectory("repro-nodata-").FullName;
        try
        {
            var plain = new DataCatalog(DataOptions.Resolve(root));
            Assert.Throws<DataUnavailableException>(() => plain.Load(DatasetId.Cifar10));
            var dry = new DataCatalog(DataOptions.Resolve(root) with { SyntheticWhenAbsent = true });
            using var stand = dry.Load(DatasetId.Cifar10);
            Assert.StartsWith("synthetic-", stand.Name);
            Assert.Equal("mnist-10k", dry.Load(DatasetId.Mnist10k).Name);
        }
        finally { Directory.Delete(root, recursive: true); }
    }
}

/// <summary>The dry-run profile: the paper's scenarios with the caps in every training configuration, and the paper profile itself untouched.</summary>
[Scale("unit")]
public class DryRunProfileTests
{
    [Fact]
    public void Every_paper_scenario_carries_the_caps_and_gets_its_own_key()
    {
        var paper = Unlearning.Scenarios.ScaleProfile.Paper;
        var dry = paper.DryRun(new IterationLimits());
        Assert.Null(paper.Limits);
        Assert.NotNull(dry.Limits);
        foreach (var (real, capped) in new[]
                 {
                     (paper.BaseModel(DatasetId.Cifar10), dry.BaseModel(DatasetId.Cifar10)),
                     (paper.BaseModel(DatasetId.Mnist), dry.BaseModel(DatasetId.Mnist)),
                     (paper.HealingBase(DatasetId.Mnist), dry.HealingBase(DatasetId.Mnist)),
                     (paper.Amun().Base, dry.Amun().Base),
                     (paper.AmunLipschitz().Base, dry.AmunLipschitz().Base),
                     (paper.Poison(Unlearning.Scenarios.TriggerKind.Moving).Base, dry.Poison(Unlearning.Scenarios.TriggerKind.Moving).Base),
                 })
        {
            Assert.Null(real.Training.Limits);
            Assert.Equal(new IterationLimits(), capped.Training.Limits);
            Assert.NotEqual(real.Hash, capped.Hash);
            Assert.Equal((real with { Training = real.Training with { Limits = capped.Training.Limits } }).Hash, capped.Hash);
        }
        Assert.Equal(paper.Amun().ReferenceModels, dry.Amun().ReferenceModels);
        Assert.Equal(paper.HealingFigureTwoRuns, dry.HealingFigureTwoRuns);
        Assert.Equal(2, dry.HealingInfluence.Depth);
        Assert.Equal(5000, paper.HealingInfluence.Depth);
    }
}
