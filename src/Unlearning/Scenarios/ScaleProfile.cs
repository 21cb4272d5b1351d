using System.Globalization;
using Unlearning.Data;
using Unlearning.Models;
using Unlearning.Training;
using Unlearning.Unlearning;

namespace Unlearning.Scenarios;

/// <summary>
/// Everything a scale decides, in one place per scale: the base classifiers, the healing experiment's base and LiSSA
/// settings, Fig. 2's runs, the AMUN scenarios, the Potion poisoning scenarios and Goel et al.'s grid. The claims read
/// their scenarios from here and nowhere else, so <see cref="Smoke"/>, <see cref="Ci"/> and <see cref="Paper"/> below are
/// the whole difference between the scales. <see cref="WithSeed"/> gives the same profile with every scenario drawn from
/// another seed: a replicate with its own split, initialisation and forget sets.
/// </summary>
public sealed record ScaleProfile
{
    /// <summary>The default scenario seed.</summary>
    public const long DefaultSeed = 1;

    /// <summary>|S_m| of the paper-scale poisoning scenarios when none is named (Goel et al.'s largest, 2% of CIFAR-10's training set).</summary>
    public const int PaperPoisoned = 1000;

    private ScaleProfile() { }

    /// <summary>Which scale this is.</summary>
    public required Scale Scale { get; init; }

    /// <summary>"smoke", "ci" or "paper", as results and snapshots name the scale.</summary>
    public string Name => Scale.ToString().ToLowerInvariant();

    /// <summary>The seed every scenario of this profile is drawn from (<see cref="DefaultSeed"/> unless <see cref="WithSeed"/>).</summary>
    public long Seed { get; private init; } = DefaultSeed;

    /// <summary>This profile with every scenario drawn from <paramref name="seed"/>.</summary>
    public ScaleProfile WithSeed(long seed) => seed == Seed ? this : this with { Seed = seed };

    /// <summary>The caps of a dry run (<see cref="DryRun"/>), or null for a real run.</summary>
    public IterationLimits? Limits { get; private init; }

    /// <summary>
    /// This profile as a dry run: the same scenarios — architectures, augmentation, optimisers, schedules, counts of models
    /// and runs — with every training and evaluation capped by <paramref name="limits"/> (the limits enter every scenario's
    /// training configuration, so its models never share a cache key with a real run's), and LiSSA's recursion as deep as
    /// the step cap. Used to prove the paper path runs end to end on any machine before paying for it; its numbers are not
    /// results.
    /// </summary>
    public ScaleProfile DryRun(IterationLimits limits)
    {
        limits.Validate();
        Scenario Cap(Scenario s) => s with { Training = s.Training with { Limits = limits } };
        int evalSamples = limits.EvalBatches * limits.BatchSize;
        // Alg. 1 on a few samples per request, each with a step-capped PGD and one doubling: the probe, the ladder and the
        // samples without an example (the rest) all take their path.
        AmunScenario CapAmun(AmunScenario a) => a with
        {
            Base = Cap(a.Base),
            Adversarial = a.Adversarial with
            {
                Pgd = a.Adversarial.Pgd with { Steps = Math.Min(a.Adversarial.Pgd.Steps, limits.Steps) },
                ProbeSize = Math.Min(a.Adversarial.ProbeSize, limits.BatchSize),
                MaxDoublings = Math.Min(a.Adversarial.MaxDoublings, 1),
                BatchSize = Math.Min(a.Adversarial.BatchSize, limits.BatchSize),
                MaxSamples = evalSamples,
            },
        };
        // A model trained for a few steps cannot implant a backdoor: the validity bar is lowered to zero so that the poison
        // claims go on to their methods (the check itself still runs).
        PoisonScenario CapPoison(PoisonScenario p) => p with { Base = Cap(p.Base), MinAttackSuccess = 0 };
        return this with
        {
            Limits = limits,
            BaseModels = (dataset, seed) => Cap(BaseModels(dataset, seed)),
            AmunScenarios = seed => CapAmun(AmunScenarios(seed)),
            AmunLipschitzScenarios = seed => CapAmun(AmunLipschitzScenarios(seed)),
            PoisonScenarios = (trigger, poisoned, seed) => CapPoison(PoisonScenarios(trigger, poisoned, seed)),
            PotionHarders = PotionHarders == null ? null : seed => CapPoison(PotionHarders(seed)),
            HealingInfluence = HealingInfluence with { Depth = Math.Min(HealingInfluence.Depth, limits.Steps) },
        };
    }

    private Func<DatasetId, long, Scenario> BaseModels { get; init; } = null!;

    /// <summary>The datasets of Healing's two rows: the MNIST row and the stand-in for the CIFAR-10 row.</summary>
    public required (DatasetId Mnist, DatasetId Harder) HealingDatasets { get; init; }

    /// <summary>Independent runs of Healing Fig. 1 that Fig. 2 averages.</summary>
    public required int HealingFigureTwoRuns { get; init; }

    /// <summary>
    /// LiSSA's settings for the healing experiment's Influence start: Table 6's ε 10⁻⁶ and Table 3's MNIST max-norm 1, with
    /// the update scaled as the paper prints it (<see cref="InfluenceStep.Sum"/>: the textbook 1/|D_r| scaling moves the
    /// weights by a norm of 0.008 and leaves the model where it was, 97.1%); the 25 deletions form one update (batch_f 25).
    /// </summary>
    public required InfluenceOptions HealingInfluence { get; init; }

    private Func<long, AmunScenario> AmunScenarios { get; init; } = null!;

    private Func<long, AmunScenario> AmunLipschitzScenarios { get; init; } = null!;

    private Func<TriggerKind, int?, long, PoisonScenario> PoisonScenarios { get; init; } = null!;

    /// <summary>
    /// A second, harder ci poisoning scenario for Potion Table 1's order (null at the other scales): on the embedded MNIST every
    /// SSD-family method heals ≈ 99% and the order saturates; BadNet on Fashion-MNIST leaves the paper's spread.
    /// </summary>
    public PoisonScenario? PotionHarder => PotionHarders?.Invoke(Seed);

    private Func<long, PoisonScenario>? PotionHarders { get; init; }

    /// <summary>Why this scale has no Potion scenario, or null when it has one.</summary>
    public string? PotionUnavailable { get; private init; }

    /// <summary>The |S_m| × S_f grid of Goel et al.'s scenarios that Potion Table 1's "goel" rows average over.</summary>
    public required IReadOnlyList<(int? Poisoned, Discovery Discovery)> GoelGrid { get; init; }

    private Func<TriggerKind, string> PotionSettings { get; init; } = null!;

    /// <summary>The base classifier for a dataset at this scale, from <paramref name="seed"/> (the profile's when null).</summary>
    public Scenario BaseModel(DatasetId dataset, long? seed = null) => BaseModels(dataset, seed ?? Seed);

    /// <summary>
    /// The base model of the healing experiment (Healing §5.3.1): the base classifier trained on the primary 70% of the
    /// training pool, the other 30% held out as the backup set (<see cref="DataSplit.Spare"/>). ci: 5,600 primary / 2,400
    /// backup / 2,000 test of the embedded 10k; smoke: at most 1,120 primary.
    /// </summary>
    public Scenario HealingBase(DatasetId dataset, long? seed = null)
    {
        var b = BaseModel(dataset, seed);
        return b with
        {
            Name = b.Name.Replace("base.", "healing-base.", StringComparison.Ordinal),
            Split = b.Split with { SpareFraction = 0.3, MaxTrain = Scale == Scale.Smoke ? 1120 : b.Split.MaxTrain },
        };
    }

    /// <summary>The AMUN scenario of this scale (Tables 1–2, 8–11, Figs. 1–5).</summary>
    public AmunScenario Amun(long? seed = null) => AmunScenarios(seed ?? Seed);

    /// <summary>The AMUN scenario with 1-Lipschitz layers (Table 3).</summary>
    public AmunScenario AmunLipschitz(long? seed = null) => AmunLipschitzScenarios(seed ?? Seed);

    /// <summary>
    /// The poisoning scenario of a trigger at this scale, with <paramref name="poisoned"/> images poisoned at paper scale
    /// (<see cref="PaperPoisoned"/> when null); at ci only the default exists.
    /// </summary>
    public PoisonScenario Poison(TriggerKind trigger, int? poisoned = null) => PoisonScenarios(trigger, poisoned, Seed);

    /// <summary>What a value note says the poisoning scenario of a trigger is.</summary>
    public string PotionSetting(TriggerKind trigger) => PotionSettings(trigger);

    /// <summary>The profile of a scale.</summary>
    public static ScaleProfile For(Scale scale) => scale switch
    {
        Scale.Smoke => Smoke,
        Scale.Ci => Ci,
        Scale.Paper => Paper,
        _ => throw new ArgumentOutOfRangeException(nameof(scale), scale, "unknown scale"),
    };

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

    private static readonly InfluenceOptions CiInfluence =
        // LiSSA depth 250 / scale 50: the paper's depth/scale ratio (5,000 / 1,000), hence the same reach of the truncated
        // Neumann series, over retain minibatches of 64, so 5 runs cost seconds.
        new(BatchR: 64, BatchF: 25, Damping: 1e-6, MaxNorm: 1, Depth: 250, Scale: 50, Step: InfluenceStep.Sum);

    private static PoisonScenario CiPoison(TriggerKind trigger, int? poisoned, long seed) =>
        poisoned == null ? PoisonScenario.Ci(trigger: trigger, fraction: PoisonScenario.CiFraction(trigger), seed: seed)
        : throw new ArgumentException($"|S_m| = {poisoned} is a paper-scale setting; at ci scale the poison share is {PoisonScenario.CiFraction(trigger):P0}");

    private static string CiPotionSetting(TriggerKind trigger) =>
        $"{trigger} at {(100 * PoisonScenario.CiFraction(trigger)).ToString("0", CultureInfo.InvariantCulture)}%, embedded MNIST, SmallCnn";

    /// <summary>ci: the Goel grid is the one poison share that implants (2%) × the ci sweep's S_f ∈ {10%, 50%, 100%}.</summary>
    private static readonly IReadOnlyList<(int?, Discovery)> CiGoelGrid = [.. new[] { 0.1, 0.5, 1.0 }.Select(f => ((int?)null, Discovery.Share(f)))];

    /// <summary>
    /// Seconds-long: the embedded 10k pools cut 1,600 train / 400 test, SmallCnn, Adam 1e-3, batch 64, 2 epochs; 2 runs for
    /// Healing Fig. 2; AMUN on its ci scenario. No Potion scenario: its poisoned models train 10 epochs on 7,200 images.
    /// </summary>
    public static readonly ScaleProfile Smoke = new()
    {
        Scale = Scale.Smoke,
        BaseModels = (dataset, seed) => new Scenario($"base.{dataset}.smoke", Scale.Smoke, Embedded(dataset), ModelSpec.SmallCnn,
            new SplitSpec(TestFraction: 0.2, MaxTrain: 1600, MaxTest: 400), TrainingConfig.Adam(epochs: 2, batchSize: 64), seed),
        HealingDatasets = (DatasetId.Mnist10k, DatasetId.FashionMnist10k),
        HealingFigureTwoRuns = 2,
        HealingInfluence = CiInfluence,
        AmunScenarios = AmunScenario.Ci,
        AmunLipschitzScenarios = AmunScenario.CiLipschitz,
        PoisonScenarios = CiPoison,
        PotionUnavailable = "the Potion suite has no smoke scenario (its poisoned models train 10 epochs on 7,200 images): use --scale ci",
        GoelGrid = CiGoelGrid,
        PotionSettings = CiPotionSetting,
    };

    /// <summary>
    /// Every claim on 2 CPU cores: the embedded 10k pools cut 8,000 train / 2,000 test, SmallCnn, Adam 1e-3, batch 128,
    /// 10 epochs (Fashion-MNIST standing in for Healing's CIFAR-10 row); the paper's 10 runs for Healing Fig. 2;
    /// <see cref="AmunScenario.Ci"/>; <see cref="PoisonScenario.Ci"/> at <see cref="PoisonScenario.CiFraction"/>.
    /// </summary>
    public static readonly ScaleProfile Ci = new()
    {
        Scale = Scale.Ci,
        BaseModels = (dataset, seed) => new Scenario($"base.{dataset}.ci", Scale.Ci, Embedded(dataset), ModelSpec.SmallCnn,
            new SplitSpec(TestFraction: 0.2), TrainingConfig.Adam(epochs: 10, batchSize: 128), seed),
        HealingDatasets = (DatasetId.Mnist10k, DatasetId.FashionMnist10k),
        HealingFigureTwoRuns = 10,
        HealingInfluence = CiInfluence,
        AmunScenarios = AmunScenario.Ci,
        AmunLipschitzScenarios = AmunScenario.CiLipschitz,
        PoisonScenarios = CiPoison,
        PotionHarders = seed => PoisonScenario.Ci(DatasetId.FashionMnist10k, TriggerKind.BadNet, 0.02, seed),
        GoelGrid = CiGoelGrid,
        PotionSettings = CiPotionSetting,
    };

    /// <summary>
    /// The papers' scale: the full datasets with the papers' models (Healing §5: MNIST small CNN, Adam 1e-3, 10 epochs; AMUN
    /// §6: CIFAR-10 ResNet-18, SGD 0.1, ×0.1 every 40 of 200, with the standard CIFAR augmentation — random crops of the
    /// 4-pixel padded image, horizontal flips — without which a ResNet-18 stops well short of the ≈ 94% test accuracy the
    /// paper's original model has); LiSSA depth 5,000 / scale 1,000 over retain batches of 2,048; 10 runs for Fig. 2;
    /// <see cref="AmunScenario.Paper"/>; <see cref="PoisonScenario.Paper"/> with |S_m| ∈ {100, 500, 1,000} of CIFAR-10 ×
    /// S_f ∈ {10%, …, 100%} as Goel et al.'s grid (the paper also averages CIFAR-100).
    /// </summary>
    public static readonly ScaleProfile Paper = new()
    {
        Scale = Scale.Paper,
        BaseModels = (dataset, seed) => dataset switch
        {
            DatasetId.Cifar10 => new Scenario("base.cifar10.paper", Scale.Paper, DatasetId.Cifar10, new ModelSpec(ModelKind.ResNet18),
                new SplitSpec(), new TrainingConfig(200, 128, OptimizerKind.Sgd, 0.1, 0.9, 5e-4, ScheduleKind.Step, StepEveryEpochs: 40,
                    Augment: Augmentation.CropAndFlip), seed),
            _ => new Scenario($"base.{Full(dataset)}.paper", Scale.Paper, Full(dataset), ModelSpec.SmallCnn,
                new SplitSpec(), TrainingConfig.Adam(epochs: 10, batchSize: 128), seed),
        },
        HealingDatasets = (DatasetId.Mnist, DatasetId.FashionMnist),
        HealingFigureTwoRuns = 10,
        HealingInfluence = new(BatchR: 2048, BatchF: 25, Damping: 1e-6, MaxNorm: 1, Depth: 5000, Scale: 1000, Step: InfluenceStep.Sum),
        AmunScenarios = AmunScenario.Paper,
        AmunLipschitzScenarios = AmunScenario.PaperLipschitz,
        PoisonScenarios = (trigger, poisoned, seed) => PoisonScenario.Paper(trigger, poisoned ?? PaperPoisoned, seed),
        GoelGrid = [.. from p in new[] { 100, 500, 1000 } from k in Enumerable.Range(1, 10) select ((int?)p, Discovery.Share(k / 10.0))],
        PotionSettings = trigger => $"{trigger} on {PoisonScenario.Paper(trigger).PoisonFraction * 49_000:0} of 49,000 CIFAR-10 images, ResNet-9",
    };
}
