using Unlearning.Data;
using Unlearning.Models;
using Unlearning.Training;

namespace Unlearning.Scenarios;

/// <summary>
/// The base-model presets per scale. ci: the embedded 10k pools cut 8,000 train / 2,000 test, SmallCnn, Adam
/// 1e-3, batch 128, 10 epochs. smoke: 1,600 / 400, 2 epochs. paper: the full datasets with the papers' models
/// (Healing §5: MNIST small CNN, Adam 1e-3, 10 epochs; AMUN §6: CIFAR-10 ResNet-18, SGD 0.1, ×0.1 every 40 of 200, with the
/// standard CIFAR augmentation — random crops of the 4-pixel padded image, horizontal flips — without which a ResNet-18
/// stops well short of the ≈ 94% test accuracy the paper's original model has).
/// </summary>
public static class ScalePresets
{
    /// <summary>The ci-scale default seed.</summary>
    public const long DefaultSeed = 1;

    /// <summary>The base classifier for a dataset at a scale.</summary>
    public static Scenario BaseModel(Scale scale, DatasetId dataset, long seed = DefaultSeed) => scale switch
    {
        Scale.Smoke => new Scenario($"base.{dataset}.smoke", scale, Embedded(dataset), ModelSpec.SmallCnn,
            new SplitSpec(TestFraction: 0.2, MaxTrain: 1600, MaxTest: 400), TrainingConfig.Adam(epochs: 2, batchSize: 64), seed),
        Scale.Ci => new Scenario($"base.{dataset}.ci", scale, Embedded(dataset), ModelSpec.SmallCnn,
            new SplitSpec(TestFraction: 0.2), TrainingConfig.Adam(epochs: 10, batchSize: 128), seed),
        Scale.Paper => dataset switch
        {
            DatasetId.Cifar10 => new Scenario("base.cifar10.paper", scale, DatasetId.Cifar10, new ModelSpec(ModelKind.ResNet18),
                new SplitSpec(), new TrainingConfig(200, 128, OptimizerKind.Sgd, 0.1, 0.9, 5e-4, ScheduleKind.Step, StepEveryEpochs: 40,
                    Augment: Augmentation.CropAndFlip), seed),
            _ => new Scenario($"base.{Full(dataset)}.paper", scale, Full(dataset), ModelSpec.SmallCnn,
                new SplitSpec(), TrainingConfig.Adam(epochs: 10, batchSize: 128), seed),
        },
        _ => throw new ArgumentOutOfRangeException(nameof(scale), scale, "unknown scale"),
    };

    /// <summary>
    /// The base model of the healing experiment (Healing §5.3.1): the base classifier trained on the primary 70% of the
    /// training pool, the other 30% held out as the backup set (<see cref="DataSplit.Spare"/>). ci: 5,600 primary / 2,400
    /// backup / 2,000 test of the embedded 10k; smoke: at most 1,120 primary.
    /// </summary>
    public static Scenario HealingBase(Scale scale, DatasetId dataset, long seed = DefaultSeed)
    {
        var b = BaseModel(scale, dataset, seed);
        return b with
        {
            Name = b.Name.Replace("base.", "healing-base.", StringComparison.Ordinal),
            Split = b.Split with { SpareFraction = 0.3, MaxTrain = scale == Scale.Smoke ? 1120 : b.Split.MaxTrain },
        };
    }

    /// <summary>The embedded stand-in for a dataset (smoke and ci scales run on embedded data only).</summary>
    public static DatasetId Embedded(DatasetId d) => d switch
    {
        DatasetId.Mnist or DatasetId.Mnist10k => DatasetId.Mnist10k,
        DatasetId.FashionMnist or DatasetId.FashionMnist10k => DatasetId.FashionMnist10k,
        _ => throw new ArgumentException($"{d} has no embedded stand-in; it runs at paper scale only", nameof(d)),
    };

    private static DatasetId Full(DatasetId d) => d switch
    {
        DatasetId.Mnist10k => DatasetId.Mnist,
        DatasetId.FashionMnist10k => DatasetId.FashionMnist,
        _ => d,
    };
}
