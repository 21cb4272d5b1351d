using Unlearning.Data;
using Unlearning.Healing;
using Unlearning.Scenarios;
using Unlearning.Unlearning;

namespace Unlearning.Claims;

/// <summary>
/// The Healing paper's trained state, shared by all its claims in one process: base models, SISA ensembles, Fig. 1's
/// deletions and Fig. 2's further runs, Influence results, and the healing experiment of §5.3 per request. Each is trained
/// on first use (and cached on disk by the model cache). MNIST with the small CNN is the paper's MNIST row; Fashion-MNIST
/// stands in for the harder CIFAR-10 row (ResNet-50 in the paper) and is labelled so.
/// </summary>
public sealed class HealingFixture(ScenarioRunner runner, ScaleProfile profile, Action<string>? log = null) : IDisposable
{
    // Computed once per key; tests in parallel lanes wait only for the key they need.
    private readonly KeyedOnce<DatasetId, TrainedBase> _bases = new();
    private readonly KeyedOnce<(DatasetId, SliceSchedule), SisaEnsemble> _sisa = new();
    private readonly KeyedOnce<DatasetId, IReadOnlyList<DeletionPoint>> _deletions = new();
    private readonly KeyedOnce<(DatasetId, int), IReadOnlyList<DeletionPoint>> _runs = new();
    private readonly KeyedOnce<HealingRequest, HealingOutcome> _healing = new();
    private readonly KeyedOnce<TrainedBase, bool[]> _baseCorrect = new(ReferenceEqualityComparer.Instance);
    private readonly KeyedOnce<(TrainedBase, double), (bool[], double)> _influence = new();
    private readonly KeyedOnce<(TrainedBase, double, int?), FisherStatistics> _fisher = new();
    private readonly KeyedOnce<string, TrainedBase> _healingBase = new();

    /// <summary>The scenario runner the fixture trains and evaluates with.</summary>
    public ScenarioRunner Runner => runner;

    /// <summary>The scale profile the fixture's scenarios come from.</summary>
    public ScaleProfile Profile => profile;

    /// <summary>The deleted shares of Healing Fig. 1.</summary>
    public static readonly double[] DeletedShares = [0.05, 0.10, 0.20, 0.30];

    /// <summary>The datasets of the suite at its scale: the MNIST row and the stand-in for the CIFAR-10 row.</summary>
    public (DatasetId Mnist, DatasetId Harder) Datasets => profile.HealingDatasets;

    /// <summary>Independent runs of Fig. 1 that Fig. 2 averages (<see cref="ScaleProfile.HealingFigureTwoRuns"/>).</summary>
    public int FigureTwoRuns => profile.HealingFigureTwoRuns;

    /// <summary>The trained base (non-SISA) model of a dataset at the suite's scale.</summary>
    public TrainedBase Base(DatasetId dataset) => _bases.Get(dataset, () => runner.TrainBase(profile.BaseModel(dataset), log: log));

    /// <summary>The SISA ensemble (3 shards × 5 slices) on the base model's training set.</summary>
    public SisaEnsemble Sisa(DatasetId dataset) => Sisa(dataset, SliceSchedule.SpreadEpochs);

    /// <summary>
    /// A SISA ensemble on the base model's training set with the slice steps' epochs set by <paramref name="schedule"/>; the
    /// suite's own is <see cref="SliceSchedule.SpreadEpochs"/>, the others are H.T1.sisa-drop's diagnosis of where SISA's accuracy goes.
    /// </summary>
    public SisaEnsemble Sisa(DatasetId dataset, SliceSchedule schedule) => _sisa.Get((dataset, schedule), () =>
    {
        log?.Invoke($"training SISA ({schedule}) on {dataset}");
        var b = Base(dataset);
        return DeletionExperiment.TrainSisa(runner, b.Scenario, b.Data, b.Split, schedule);
    });

    /// <summary>Fig. 1's points on a dataset: Gold and SISA after deleting 5, 10, 20, 30% at random.</summary>
    public IReadOnlyList<DeletionPoint> Deletions(DatasetId dataset) => _deletions.Get(dataset, () =>
    {
        var b = Base(dataset);
        return DeletionExperiment.Run(runner, b.Scenario, b.Data, b.Split, Sisa(dataset), DeletedShares);
    });

    /// <summary>
    /// Fig. 2's runs on a dataset: run 0 is Fig. 1's; run r &gt; 0 draws its split, initialisation, SISA shards and deletions
    /// from seed <c>profile seed + 1000·r</c> (its models are cached like Fig. 1's). Fig. 2 plots only the deletions, so a
    /// further run trains no base model.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<DeletionPoint>> DeletionRuns(DatasetId dataset) =>
        // Run by run: two lanes that ask at once each take the runs nobody has started. Run 0 (Fig. 1's, which Fig. 1's own
        // claims compute through Deletions) is taken last, so a lane that arrives while another computes it starts on run 1.
        Rotate(_runs.GetAll([.. Enumerable.Range(1, FigureTwoRuns - 1).Append(0).Select(r => (dataset, r))], key =>
        {
            int r = key.Item2;
            if (r == 0) return Deletions(dataset);
            log?.Invoke($"Fig. 2 run {r + 1} of {FigureTwoRuns} on {dataset}");
            var scenario = profile.BaseModel(dataset, profile.Seed + 1000 * r);
            var (data, split) = runner.Prepare(scenario);
            using var sisa = DeletionExperiment.TrainSisa(runner, scenario, data, split);
            return DeletionExperiment.Run(runner, scenario, data, split, sisa, DeletedShares);
        }));

    private static IReadOnlyList<DeletionPoint>[] Rotate(IReadOnlyList<DeletionPoint>[] lastFirst) => [lastFirst[^1], .. lastFirst[..^1]];

    /// <summary>The i-th deleted share as variant and value names write it ("5%").</summary>
    public static string ShareName(int i) => $"{100 * DeletedShares[i]:0}%";

    /// <summary>One deletion measure of every Fig. 2 run, share by share: <c>[share][run]</c>.</summary>
    public double[][] PerShare(DatasetId dataset, Func<DeletionPoint, double> pick)
    {
        var runs = DeletionRuns(dataset);
        return DeletedShares.Select((_, i) => runs.Select(run => pick(run[i])).ToArray()).ToArray();
    }

    /// <summary>The healing experiment's base model: the MNIST row's classifier on the primary 70% (30% backup).</summary>
    public TrainedBase HealingBase => _healingBase.Get("", () => runner.TrainBase(profile.HealingBase(Datasets.Mnist), log: log));

    /// <summary>
    /// The unlearning settings of the healing experiment: the paper chose them so that the start is degraded "yet not so
    /// aggressive that [it collapses] completely" (§5.3.2). Fisher: Table 6's MNIST row (σ 3.5·10⁻³, ε 10⁻⁶) with the
    /// Newton step clipped to norm 1 — unclipped, its norm is 5,000–7,000 on our model and it collapses the model to one
    /// class (10.7% / 8.7% measured), as Table 2 shows for random deletion. Influence: <see cref="ScaleProfile.HealingInfluence"/>.
    /// </summary>
    public HealingSetup HealingSettings(HealingRequest request) => new(request, new FisherOptions(Sigma: 3.5e-3, Epsilon: 1e-6, MaxStepNorm: 1),
        profile.HealingInfluence, Runs: 5, RandomControl: request == HealingRequest.WorstLogits);

    /// <summary>The healing experiment for a request kind (run once per process).</summary>
    public HealingOutcome Healing(HealingRequest request) => _healing.Get(request, () => HealingExperiment.Run(runner, HealingBase, HealingSettings(request), log));

    /// <summary>The deletion request of a random share on a base model (the same draw as Fig. 1's).</summary>
    public UnlearningRequest DeletionRequest(TrainedBase b, double fraction)
    {
        var deleted = Adversaries.RandomDeletion.Draw(b.Split.Train, fraction, b.Scenario.Seed);
        var gone = new HashSet<int>(deleted);
        return new UnlearningRequest(b.Model, () => runner.CreateModel(b.Scenario, b.Data), b.Data, b.Split.Train.Where(i => !gone.Contains(i)).ToArray(),
            deleted, b.Scenario.Training, b.Scenario.Seed, Device: runner.Device);
    }

    /// <summary>Influence unlearning of a random share of a base model (Table 3's MNIST settings): per-sample test correctness and seconds, run once per process.</summary>
    public (bool[] Correct, double Seconds) InfluenceResult(TrainedBase b, double fraction) => _influence.Get((b, fraction), () =>
    {
        var options = new InfluenceOptions(BatchF: fraction <= 0.1 ? 1024 : 2048);
        var result = new InfluenceUnlearning(options).Unlearn(DeletionRequest(b, fraction));
        using (result.Model) return (runner.Evaluator(b.Scenario).Correct(result.Model, b.Data, b.Split.Test), result.Seconds);
    });

    /// <summary>
    /// The Fisher diagonal of a base model on up to <paramref name="samples"/> retain samples after deleting a random
    /// <paramref name="fraction"/> (measured once per process and shared by Table 2's row and its sweep). Owned by the fixture.
    /// </summary>
    public FisherStatistics FisherStatistics(TrainedBase b, double fraction, int? samples) =>
        _fisher.Get((b, fraction, samples), () => FisherForgetting.Measure(DeletionRequest(b, fraction), samples));

    /// <summary>The base model's per-sample correctness on its test set (computed once).</summary>
    public bool[] BaseCorrect(TrainedBase b) => _baseCorrect.Get(b, () => runner.Evaluator(b.Scenario).Correct(b.Model, b.Data, b.Split.Test));

    /// <summary>The tolerance floor of a mean over runs of one accuracy: the binomial noise of one test set of the base's size, over √runs.</summary>
    public double MeanFloor(double accuracy, int runs) => Measured.Share(accuracy, Base(Datasets.Mnist).Split.Test.Length).Tolerance / Math.Sqrt(runs);

    /// <summary>The tolerance floor of a mean over the healing runs: one run's binomial noise on the healing test set.</summary>
    public double HealingFloor(double accuracy, int runs) => Measured.Share(accuracy, HealingBase.Split.Test.Length).Tolerance / Math.Sqrt(runs);

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var e in _sisa.Computed) e.Dispose();
        foreach (var s in _fisher.Computed) s.Dispose();
        foreach (var b in _bases.Computed) b.Model.Dispose();
        foreach (var b in _healingBase.Computed) b.Model.Dispose();
    }
}
