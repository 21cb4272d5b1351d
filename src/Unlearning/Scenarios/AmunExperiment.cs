using Unlearning.Attacks;
using Unlearning.Data;
using Unlearning.Metrics;
using Unlearning.Models;
using Unlearning.Training;
using Unlearning.Unlearning;

namespace Unlearning.Scenarios;

/// <summary>
/// An AMUN scenario (AMUN §5–6): a base model trained to fit its training set, k RMIA reference models on random halves
/// of train ∪ test (in complementary pairs, so every target is IN for exactly half), a population set nobody trains on,
/// and the unlearning protocol — random forget sets of 10% / 50%, every method fine-tuned for
/// <see cref="UnlearnEpochs"/> epochs at the learning rate that gave the lowest Avg Gap on a separate random forget
/// subset of the same size (App. C), then run <see cref="Repeats"/> times (fine-tuning seeds) on the forget set drawn for
/// evaluation, metrics and Avg Gaps averaged over the runs.
/// </summary>
/// <param name="Base">Dataset, model, split and training of the original model.</param>
/// <param name="ReferenceModels">k, the RMIA reference models (paper 128; even).</param>
/// <param name="PopulationSize">Population points z of RMIA (drawn from <paramref name="Population"/>).</param>
/// <param name="UnlearnEpochs">Fine-tuning epochs of every method (paper 10).</param>
/// <param name="UnlearnBatchSize">Fine-tuning batch size (paper 128).</param>
/// <param name="LearningRates">The learning-rate search every method is tuned by when it fine-tunes with D_R.</param>
/// <param name="SaliencyRatio">SalUn's mask ratio (share of weights updated).</param>
/// <param name="Adversarial">Alg. 1's settings.</param>
/// <param name="Repeats">Unlearning runs (seeds Seed, Seed + 1, …) averaged in every table row (the paper: 3).</param>
/// <param name="ForgetOnlyRates">The learning-rate search of the methods that see D_F only (null: <paramref name="LearningRates"/>).</param>
/// <param name="Population">Where RMIA's population points come from.</param>
public sealed record AmunScenario(Scenario Base, int ReferenceModels, int PopulationSize, int UnlearnEpochs, int UnlearnBatchSize, RateSearch LearningRates, double SaliencyRatio,
    AdversarialOptions Adversarial, int Repeats = 3, RateSearch? ForgetOnlyRates = null, RmiaPopulation Population = RmiaPopulation.Unused)
{
    /// <summary>The learning-rate search of a method with <paramref name="access"/>.</summary>
    public RateSearch Rates(RetainAccess access) => access == RetainAccess.ForgetOnly ? ForgetOnlyRates ?? LearningRates : LearningRates;

    /// <summary>
    /// ci scale: embedded Fashion-MNIST, 2,000 train / 1,000 test, SmallCnn trained as the paper trains its ResNet-18 —
    /// SGD, momentum 0.9, weight decay 5·10⁻⁴ (lr 0.05, batch 64, 50 epochs) — to 100% train accuracy at 82.5% test
    /// accuracy (so that membership leaks, as it does for the paper's model at 100% / 94%), 8 reference models,
    /// 5 unlearning epochs at batch 64; rates: with D_R the grid {10⁻², 3·10⁻², 10⁻¹}; on D_F alone the decades 10⁻⁴…10⁻¹,
    /// refined ×/÷ 3 around the best (at 10⁻²…10⁻¹ alone RL, BS and SalUn collapse the model to chance at every rate, and
    /// gradient ascent on half of D diverges at every rate, so the grid could not give them a working rate). Weight decay matters: an Adam-trained base
    /// without it fits D with logit margins so large that the cross-entropy of D_R and D_F rounds to zero and no
    /// fine-tuning method (AMUN included) moves it at these rates. (Batch 64 rather than 128: on the 2-core CPU the
    /// SmallCnn trains about three times faster per image at 64.)
    /// </summary>
    public static AmunScenario Ci(long seed = ScaleProfile.DefaultSeed) => new(
        new Scenario("amun.fashion.ci", Scale.Ci, DatasetId.FashionMnist10k, ModelSpec.SmallCnn,
            new SplitSpec(TestFraction: 0.2, MaxTrain: 2000, MaxTest: 1000),
            new TrainingConfig(Epochs: 50, BatchSize: 64, OptimizerKind.Sgd, LearningRate: 0.05, Momentum: 0.9, WeightDecay: 5e-4), seed),
        ReferenceModels: 8, PopulationSize: 2000, UnlearnEpochs: 5, UnlearnBatchSize: 64, LearningRates: new([1e-2, 3e-2, 1e-1]), SaliencyRatio: 0.5,
        AdversarialOptions.Default, ForgetOnlyRates: new([1e-4, 1e-3, 1e-2, 1e-1], Refine: 3));

    /// <summary>
    /// AMUN Table 3 at ci scale: <see cref="Ci"/> with the SmallCnn's layers clipped to operator norm 1
    /// (<see cref="ModelKind.LipschitzCnn"/>) for the original, reference and retrained models alike.
    /// </summary>
    public static AmunScenario CiLipschitz(long seed = ScaleProfile.DefaultSeed)
    {
        var ci = Ci(seed);
        return ci with { Base = ci.Base with { Name = "amun.fashion.lipschitz.ci", Model = ModelSpec.LipschitzCnn } };
    }

    /// <summary>
    /// AMUN Tables 3 and 6 at paper scale: <see cref="Paper"/> with every convolutional and fully-connected layer of the
    /// ResNet-18 clipped to operator norm 1 (<see cref="ModelKind.LipschitzResNet18"/>; App. C: the clipping authors'
    /// default setting), trained, referenced (128 models) and retrained with the same hyper-parameters.
    /// </summary>
    public static AmunScenario PaperLipschitz(long seed = ScaleProfile.DefaultSeed)
    {
        var paper = Paper(seed);
        return paper with { Base = paper.Base with { Name = "amun.cifar10.lipschitz.paper", Model = new ModelSpec(ModelKind.LipschitzResNet18) } };
    }

    /// <summary>
    /// Paper scale: CIFAR-10 ResNet-18 (200 epochs, SGD 0.1, ×0.1 every 40) on all 50,000 training images, 128 reference
    /// models, 10 epochs, every method's rate searched over the paper's range [10⁻⁶, 10⁻¹] by decades, refined ×/÷ 3 around
    /// the best. The original sees every training image, so no image is outside every model; RMIA's 10,000 population points
    /// are CIFAR-10's test images (<see cref="RmiaPopulation.Test"/>): never trained on by the original or any unlearned model.
    /// </summary>
    public static AmunScenario Paper(long seed = ScaleProfile.DefaultSeed) => new(
        ScaleProfile.Paper.BaseModel(DatasetId.Cifar10, seed) with { Name = "amun.cifar10.paper" },
        ReferenceModels: 128, PopulationSize: 10000, UnlearnEpochs: 10, UnlearnBatchSize: 128,
        LearningRates: new([1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1], Refine: 3), SaliencyRatio: 0.5, AdversarialOptions.Default,
        Population: RmiaPopulation.Test);
}

/// <summary>Where RMIA's population points z are drawn from (AMUN App. C uses RMIA without saying).</summary>
public enum RmiaPopulation
{
    /// <summary>The split's unused samples: trained on by no model at all (the ci scenarios cap the training set, leaving some).</summary>
    Unused,
    /// <summary>The test set D_T: trained on by no target (original, retrained or unlearned), and, like every target, by half the reference models.</summary>
    Test,
}

/// <summary>A curve of AMUN Fig. 1: test accuracy (%) before each fine-tuning epoch and after the last, and the per-sample test outcomes after the last.</summary>
public sealed record SubstituteCurve(double[] TestAccuracy, bool[] FinalCorrect);

/// <summary>Whether the unlearner may read D_R (AMUN §5.3).</summary>
public enum RetainAccess
{
    /// <summary>Table 1: the method sees D_R and D_F.</summary>
    WithRetain,
    /// <summary>Table 2: the method sees D_F only.</summary>
    ForgetOnly,
}

/// <summary>The three fine-tuning sets of AMUN Fig. 1, left to right, with X the set standing in for D_A.</summary>
public enum SubstituteSetting
{
    /// <summary>D ∪ X (D = D_R ∪ D_F).</summary>
    WithD,
    /// <summary>D_F ∪ X.</summary>
    WithForget,
    /// <summary>X alone.</summary>
    Alone,
}

/// <summary>A method's RMIA AUCs (percent) after each of AMUN §6.3's consecutive requests.</summary>
/// <param name="Method">The method.</param>
/// <param name="Access">With D_R or D_F only.</param>
/// <param name="LearningRate">The rate used for every request.</param>
/// <param name="FrAuc">D_F so far vs the remaining D_R.</param>
/// <param name="FtAuc">D_F so far vs D_T.</param>
public sealed record ContinuousRun(string Method, RetainAccess Access, double LearningRate, double[] FrAuc, double[] FtAuc)
{
    /// <summary>Fig. 2's y-axis per request: FR AUC − FT AUC.</summary>
    public double[] Gap => FrAuc.Zip(FtAuc, (r, t) => r - t).ToArray();
}

/// <summary>One method's row of AMUN Table 1/2 at one forget share.</summary>
public sealed record AmunRow(string Method, double Fraction, RetainAccess Access, UnlearningMetrics Metrics, double Mis, double AvgGap, double MisAvgGap,
    double LearningRate, double Seconds, IReadOnlyDictionary<string, double> Diagnostics)
{
    /// <summary>Avg Gap (RMIA) of each run, run k with seed + k (empty when diverged).</summary>
    public double[] Gaps { get; init; } = [];

    /// <summary>Avg Gap with MIS of each run.</summary>
    public double[] MisGaps { get; init; } = [];

    /// <summary>The RMIA scores behind each run's FT AUC (empty when diverged).</summary>
    public IReadOnlyList<ScoreSets> FtScores { get; init; } = [];

    /// <summary>The method diverged at every rate of the grid: no model to score, Avg Gaps are +∞ (worse than any model).</summary>
    public bool Diverged => double.IsNaN(LearningRate);
}

/// <summary>A model's four metrics plus MIS, all in percent.</summary>
public sealed record AmunEvaluation(UnlearningMetrics Metrics, double Mis)
{
    /// <summary>The RMIA scores behind the FT AUC (D_F members, D_T non-members), for a bootstrap over samples.</summary>
    public ScoreSets? FtScores { get; init; }
}

/// <summary>
/// Runs AMUN's protocol on a scenario, caching what several claims share: the trained original, reference and retrained
/// models (on disk), the RMIA reference signals, adversarial sets (per forget set) and tuned learning rates.
/// </summary>
public sealed class AmunExperiment(ScenarioRunner runner, AmunScenario scenario, Action<string>? log = null) : IDisposable
{
    // Each piece of shared state is computed once per key; tests in parallel lanes wait only for the key they need.
    private readonly KeyedOnce<string, TrainedBase> _base = new();
    private readonly KeyedOnce<string, ImageClassifier> _other = new();
    private readonly KeyedOnce<string, Rmia> _rmia = new();
    private readonly KeyedOnce<int, double[]> _referenceSignals = new();
    private readonly KeyedOnce<string, ImageClassifier> _retrained = new();
    private readonly KeyedOnce<string, AmunEvaluation> _retrainedEvaluations = new();
    private readonly KeyedOnce<string, AdversarialSet> _adversarial = new();
    private readonly KeyedOnce<(string, double, RetainAccess), double> _tuned = new();
    private readonly KeyedOnce<(string, double, RetainAccess), AmunRow> _rows = new();

    /// <summary>The scenario.</summary>
    public AmunScenario Scenario => scenario;

    /// <summary>The methods of Table 1 (with D_R) and Table 2 (D_F only), in the paper's order.</summary>
    public static IReadOnlyList<string> Methods(RetainAccess access) => access == RetainAccess.WithRetain
        ? ["FT", "RL", "GA", "BS", "l1-sparse", "SalUn", "AMUN", "AMUN+SalUn"]
        : ["RL", "GA", "BS", "SalUn", "AMUN", "AMUN+SalUn"];

    /// <summary>AMUN with D_A built on a separately trained model (App. F.4, Table 8).</summary>
    public const string TransferredAmun = "AMUN (transferred)";

    /// <summary>AMUN with D_A from the FFGSM-style attack (App. F.5, Table 9).</summary>
    public const string FastGradientAmun = "AMUN (FFGSM)";

    /// <summary>The original model, trained once (cached on disk).</summary>
    public TrainedBase Original => _base.Get("", () => runner.TrainBase(scenario.Base, log: log));

    /// <summary>RMIA with the scenario's reference models (trained once, cached on disk) over train ∪ test and the population.</summary>
    public Rmia Rmia
    {
        get
        {
            var b = Original;
            var pool = b.Split.Train.Concat(b.Split.Test).ToArray();
            // Model by model: two lanes that ask at once each train the reference models nobody has started.
            var source = scenario.Population == RmiaPopulation.Test ? b.Split.Test : b.Split.Unused;
            var population = new SeededRandom(scenario.Base.Seed, stream: 0x909).Permutation(source.Length)
                .Take(scenario.PopulationSize).Select(i => source[i]).ToArray();
            if (population.Length == 0)
                throw new InvalidOperationException($"{scenario.Base.Name}: the split leaves no {(scenario.Population == RmiaPopulation.Test ? "test" : "unused")} samples for RMIA's population");
            var points = Metrics.Rmia.Points(pool, population);
            var limits = scenario.Base.Training.Limits;
            // Model by model: two lanes that ask at once each train the reference models nobody has started; a reference
            // model is released once its signal is taken.
            var signals = _referenceSignals.GetAll([.. Enumerable.Range(0, scenario.ReferenceModels)], m =>
            {
                var half = ReferenceHalf(pool, m);
                var s = scenario.Base with { Seed = scenario.Base.Seed * 1000 + 101 + m };
                log?.Invoke($"RMIA reference model {m + 1}/{scenario.ReferenceModels} ({half.Length} samples)");
                using var reference = runner.TrainModel(s, s.TrainingKey(half, $"rmia-ref{m}"), b.Data, half, null, log: log).Model;
                return Metrics.Rmia.ReferenceSignal(reference, b.Data, points, device: runner.Device, limits: limits);
            });
            return _rmia.Get("", () => new Rmia(signals, b.Data, pool, population, device: runner.Device, limits: limits));
        }
    }

    /// <summary>Reference model <paramref name="m"/>'s half of the pool: pairs (2j, 2j+1) split one permutation in two.</summary>
    public int[] ReferenceHalf(int[] pool, int m)
    {
        var perm = new SeededRandom(scenario.Base.Seed, stream: 0x4EF0UL + (ulong)(m / 2)).Permutation(pool.Length);
        int half = pool.Length / 2;
        return (m % 2 == 0 ? perm.Take(half) : perm.Skip(half)).Select(i => pool[i]).Order().ToArray();
    }

    /// <summary>A random forget set of <paramref name="fraction"/> of D (draw 0 is evaluated, draw 1 tunes the learning rates).</summary>
    public int[] ForgetSet(double fraction, int draw)
    {
        var train = Original.Split.Train;
        int n = (int)Math.Round(fraction * train.Length);
        if (n <= 0) throw new ArgumentException($"a forget share of {fraction:P1} of {train.Length} samples is empty");
        return new SeededRandom(scenario.Base.Seed, stream: 0xF0C0UL + (ulong)draw * 7919 + (ulong)Math.Round(fraction * 1000))
            .Permutation(train.Length).Take(n).Select(i => train[i]).Order().ToArray();
    }

    /// <summary>The model retrained from scratch on D ∖ <paramref name="forget"/> (the gold standard; cached).</summary>
    public ImageClassifier Retrained(int[] forget)
    {
        var b = Original;
        return _retrained.Get(Scenarios.Scenario.IndexHash(forget), () =>
        {
            var retain = Retain(forget);
            log?.Invoke($"retraining without {forget.Length} samples");
            return runner.TrainModel(scenario.Base, scenario.Base.TrainingKey(retain, "retrain"), b.Data, retain, null, log: log).Model;
        });
    }

    private int[] Retain(int[] forget)
    {
        var gone = new HashSet<int>(forget);
        return Original.Split.Train.Where(i => !gone.Contains(i)).ToArray();
    }

    /// <summary>Accuracies on D_F / D_R / D_T, RMIA FT AUC and MIS of a model for a forget set (percent).</summary>
    public AmunEvaluation Evaluate(ImageClassifier model, int[] forget)
    {
        var b = Original;
        var evaluator = runner.Evaluator(scenario.Base);
        var retain = Retain(forget);
        var f = evaluator.Evaluate(model, b.Data, forget);
        var r = evaluator.Evaluate(model, b.Data, retain);
        var t = evaluator.Evaluate(model, b.Data, b.Split.Test);
        var ftScores = Rmia.MemberScores(model, forget, b.Split.Test);
        double auc = Rmia.BalancedAuc(ftScores.Members, ftScores.NonMembers, scenario.Base.Seed);
        var members = new SeededRandom(scenario.Base.Seed, stream: 0x315).Permutation(retain.Length).Take(b.Split.Test.Length)
            .Select(i => r.Phi[i]).ToArray();
        double mis = 100 * MembershipInference.Mis(members, t.Phi, f.Phi);
        return new AmunEvaluation(new UnlearningMetrics(100 * f.Accuracy, 100 * r.Accuracy, 100 * t.Accuracy, auc), mis) { FtScores = ftScores };
    }

    /// <summary>
    /// The retrained model's evaluation for a forget set, computed once: every method's tuning and every row compare
    /// against it, and evaluation is deterministic (eval mode, no sampling beyond the seeded AUC subsamples).
    /// </summary>
    public AmunEvaluation RetrainedEvaluation(int[] forget)
    {
        // Keyed by the set in its given order: the AUC's balanced subsamples follow the order of the members.
        string key = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(forget.AsSpan())));
        return _retrainedEvaluations.Get(key, () => Evaluate(Retrained(forget), forget));
    }

    /// <summary>Alg. 1's D_A for a forget set on the original model (computed once per forget set).</summary>
    public AdversarialSet AdversarialSet(int[] forget) =>
        _adversarial.Get(Scenarios.Scenario.IndexHash(forget), () =>
        {
            log?.Invoke($"Alg. 1 on {forget.Length} forget samples");
            return AdversarialSetBuilder.Build(Original.Model, Original.Data, forget, scenario.Base.Seed, scenario.Adversarial, runner.Device);
        });

    /// <summary>
    /// A second model of the same architecture trained on the same D with another seed (AMUN App. F.4: the source of
    /// transferred adversarial examples). Trained once, cached on disk.
    /// </summary>
    public ImageClassifier OtherModel => _other.Get("", () =>
    {
        var b = Original;
        var s = scenario.Base with { Seed = scenario.Base.Seed * 1000 + 7 };
        log?.Invoke("training a second model on D for transferred adversarial examples");
        return runner.TrainModel(s, s.TrainingKey(b.Split.Train, "amun-other"), b.Data, b.Split.Train, null, log: log).Model;
    });

    /// <summary>Alg. 1's set for a forget set built on <see cref="OtherModel"/> (App. F.4, Table 8), y_adv its prediction.</summary>
    public AdversarialSet TransferredSet(int[] forget) =>
        _adversarial.Get("transfer:" + Scenarios.Scenario.IndexHash(forget), () =>
        {
            log?.Invoke($"Alg. 1 on {forget.Length} forget samples against the second model");
            return AdversarialSetBuilder.Build(OtherModel, Original.Data, forget, scenario.Base.Seed, scenario.Adversarial, runner.Device);
        });

    /// <summary>The FFGSM-style variant of Alg. 1 on the original model (App. F.5, Table 9).</summary>
    public AdversarialSet FastGradientSet(int[] forget) =>
        _adversarial.Get("ffgsm:" + Scenarios.Scenario.IndexHash(forget), () =>
        {
            log?.Invoke($"FFGSM-style Alg. 1 on {forget.Length} forget samples");
            return FastGradientSetBuilder.Build(Original.Model, Original.Data, forget, scenario.Base.Seed,
                new FastGradientOptions(MaxSamples: scenario.Adversarial.MaxSamples), runner.Device);
        });

    /// <summary>
    /// Fig. 1: test accuracy (percent) before fine-tuning and after each epoch when the original model is fine-tuned on
    /// <paramref name="setting"/>'s data with D_A replaced by <paramref name="kind"/>, at AMUN's tuned rate for the
    /// matching access (with D_R for D ∪ X, without otherwise).
    /// </summary>
    public SubstituteCurve SubstituteCurve(SubstituteSet kind, SubstituteSetting setting, double fraction)
    {
        var b = Original;
        var forget = ForgetSet(fraction, 0);
        var access = setting == SubstituteSetting.WithD ? RetainAccess.WithRetain : RetainAccess.ForgetOnly;
        double lr = TunedRate("AMUN", fraction, access);
        var evaluator = runner.Evaluator(scenario.Base);
        using var model = ModelCopy.Clone(b.Model, () => runner.CreateModel(scenario.Base, b.Data));
        var curve = new List<double>();
        using var x = SubstituteSets.Build(kind, AdversarialSet(forget), b.Data, scenario.Base.Seed);
        using var f = setting != SubstituteSetting.Alone ? TuneBlock.FromData("D_F", b.Data, forget) : null;
        using var r = setting == SubstituteSetting.WithD ? TuneBlock.FromData("D_R", b.Data, Retain(forget)) : null;
        var blocks = new[] { r, f, x }.OfType<TuneBlock>().ToList();
        FineTuning.Run($"fine-tune on {setting} with {x.Name}", model, [blocks], new FineTuneOptions(scenario.UnlearnEpochs, lr, scenario.UnlearnBatchSize, Limits: scenario.Base.Training.Limits),
            scenario.Base.Seed, b.Data.NumClasses, runner.Device,
            new FineTuneHooks { BeforeEpoch = _ => curve.Add(100 * evaluator.Evaluate(model, b.Data, b.Split.Test).Accuracy) });
        var last = evaluator.Evaluate(model, b.Data, b.Split.Test);
        curve.Add(100 * last.Accuracy);
        return new SubstituteCurve(curve.ToArray(), last.Correct);
    }

    /// <summary>AMUN-A of §6.3: D_A recomputed on the current model at every request.</summary>
    public const string AdaptiveAmun = "AMUN-A";

    /// <summary>
    /// AMUN §6.3 (Fig. 2): <paramref name="requests"/> consecutive requests, each a random <paramref name="share"/> of D,
    /// served one after another from the previous request's model at the rate tuned for the whole forget share (no
    /// new tuning, as in the paper). AMUN computes D_A for all requests at once on the original model and hands each
    /// request its part; AMUN-A recomputes it on the current model. After each request: RMIA FR AUC (D_F so far vs the
    /// remaining D_R), FT AUC (D_F so far vs D_T) and their difference (higher = D_F looks more like unseen data).
    /// </summary>
    public ContinuousRun Continuous(string method, RetainAccess access, int requests = 5, double share = 0.02)
    {
        var b = Original;
        var all = ForgetSet(requests * share, 0);
        var order = new SeededRandom(scenario.Base.Seed, stream: 0xC047).Permutation(all.Length).Select(i => all[i]).ToArray();
        int size = all.Length / requests;
        double lr = TunedRate(method == AdaptiveAmun ? "AMUN" : method, requests * share, access);
        if (double.IsNaN(lr)) return new ContinuousRun(method, access, lr, [], []);
        var o = new FineTuneOptions(scenario.UnlearnEpochs, lr, scenario.UnlearnBatchSize, Limits: scenario.Base.Training.Limits);
        var subsets = new List<AdversarialSet>();
        IUnlearner unlearner = method switch
        {
            AdaptiveAmun => new AmunUnlearner(o, access == RetainAccess.WithRetain, scenario.Adversarial),
            "AMUN" => new AmunUnlearner(o, access == RetainAccess.WithRetain, scenario.Adversarial, adversarialSource: r =>
            {
                var part = AdversarialSet(all).Subset(r.Forget);
                subsets.Add(part);
                return part;
            }),
            _ => Create(method, access, lr),
        };
        var current = ModelCopy.Clone(b.Model, () => runner.CreateModel(scenario.Base, b.Data));
        var forgotten = new List<int>();
        var fr = new List<double>();
        var ft = new List<double>();
        try
        {
            for (int q = 0; q < requests; q++)
            {
                var request = order.Skip(q * size).Take(q == requests - 1 ? all.Length - q * size : size).Order().ToArray();
                forgotten.AddRange(request);
                var gone = new HashSet<int>(forgotten);
                var retain = b.Split.Train.Where(i => !gone.Contains(i)).ToArray();
                var result = unlearner.Unlearn(new UnlearningRequest(current, () => runner.CreateModel(scenario.Base, b.Data), b.Data, retain, request,
                    scenario.Base.Training, scenario.Base.Seed + q, Device: runner.Device));
                current.Dispose();
                current = result.Model;
                var targets = forgotten.Concat(retain).Concat(b.Split.Test).ToArray();
                var score = targets.Zip(Rmia.Scores(current, targets)).ToDictionary(p => p.First, p => p.Second);
                double[] Of(IEnumerable<int> ids) => ids.Select(i => score[i]).ToArray();
                fr.Add(Metrics.Rmia.BalancedAuc(Of(retain), Of(forgotten), scenario.Base.Seed));
                ft.Add(Metrics.Rmia.BalancedAuc(Of(forgotten), Of(b.Split.Test), scenario.Base.Seed));
                log?.Invoke($"{method} ({access}) request {q + 1}/{requests}: FR AUC {fr[^1]:0.0} FT AUC {ft[^1]:0.0}");
            }
        }
        finally
        {
            current.Dispose();
            foreach (var part in subsets) part.Dispose();
            if (unlearner is AmunUnlearner { LastAdversarialSet: { } last } && method == AdaptiveAmun) last.Dispose();
        }
        return new ContinuousRun(method, access, lr, fr.ToArray(), ft.ToArray());
    }

    /// <summary>The unlearner <paramref name="method"/> at learning rate <paramref name="lr"/>.</summary>
    public IUnlearner Create(string method, RetainAccess access, double lr)
    {
        var o = new FineTuneOptions(scenario.UnlearnEpochs, lr, scenario.UnlearnBatchSize, Limits: scenario.Base.Training.Limits);
        bool withRetain = access == RetainAccess.WithRetain;
        return method switch
        {
            "FT" => withRetain ? new FineTuneUnlearner(o) : throw new ArgumentException("FT needs D_R"),
            "RL" => new RandomLabelUnlearner(o, withRetain),
            "GA" => new GradientAscentUnlearner(o, withRetain),
            "BS" => new BoundaryShrinkUnlearner(o, withRetain),
            "l1-sparse" => withRetain ? new L1SparseUnlearner(o) : throw new ArgumentException("l1-sparse needs D_R"),
            "SalUn" => new SalUnUnlearner(o, withRetain, scenario.SaliencyRatio),
            "AMUN" => new AmunUnlearner(o, withRetain, scenario.Adversarial, adversarialSource: r => AdversarialSet(r.Forget)),
            "AMUN+SalUn" => new AmunUnlearner(o, withRetain, scenario.Adversarial, scenario.SaliencyRatio, adversarialSource: r => AdversarialSet(r.Forget)),
            TransferredAmun => new AmunUnlearner(o, withRetain, scenario.Adversarial, adversarialSource: r => TransferredSet(r.Forget)),
            FastGradientAmun => new AmunUnlearner(o, withRetain, scenario.Adversarial, adversarialSource: r => FastGradientSet(r.Forget)),
            _ => throw new ArgumentException($"unknown AMUN-suite method '{method}'"),
        };
    }

    private UnlearningRequest Request(int[] forget, long seed) => new(Original.Model, () => runner.CreateModel(scenario.Base, Original.Data), Original.Data,
        Retain(forget), forget, scenario.Base.Training, seed, Device: runner.Device);

    /// <summary>Runs one method at one rate on a forget set and evaluates it.</summary>
    public (AmunEvaluation Evaluation, UnlearningResult Result) RunOnce(string method, RetainAccess access, double lr, int[] forget, long? seed = null)
    {
        var result = Create(method, access, lr).Unlearn(Request(forget, seed ?? scenario.Base.Seed));
        using (result.Model)
            return (Evaluate(result.Model, forget), result with { Model = null! });
    }

    /// <summary>
    /// The learning rate of the method's search (<see cref="AmunScenario.Rates"/>) with the lowest Avg Gap on the tuning forget set (draw 1) — never the evaluated one;
    /// NaN when the loss diverged at every rate of the search (gradient ascent on D_F alone can).
    /// </summary>
    public double TunedRate(string method, double fraction, RetainAccess access) => _tuned.Get((method, fraction, access), () =>
        {
            var forget = ForgetSet(fraction, draw: 1);
            var gold = RetrainedEvaluation(forget).Metrics;
            double lr = scenario.Rates(access).Best(candidate =>
            {
                try
                {
                    double gap = RunOnce(method, access, candidate, forget).Evaluation.Metrics.AvgGap(gold);
                    log?.Invoke($"tuning {method} ({access}, {fraction:P0}) lr {candidate:G2}: Avg Gap {gap:0.00}");
                    return gap;
                }
                catch (TrainingDivergedException e) { log?.Invoke($"{method} lr {candidate:G2}: {e.Message}"); return null; }
            });
            if (double.IsNaN(lr)) log?.Invoke($"{method} ({access}, {fraction:P0}): every learning rate of the search diverged");
            return lr;
        });

    /// <summary>Table 1/2's row of a method: tuned, run on the evaluated forget set, compared to its retrained model.</summary>
    public AmunRow Row(string method, double fraction, RetainAccess access) => _rows.Get((method, fraction, access), () =>
        {
            double lr = TunedRate(method, fraction, access);
            var forget = ForgetSet(fraction, draw: 0);
            var gold = RetrainedEvaluation(forget);
            if (double.IsNaN(lr))
            {
                var nan = new UnlearningMetrics(double.NaN, double.NaN, double.NaN, double.NaN);
                return new AmunRow(method, fraction, access, nan, double.NaN, double.PositiveInfinity, double.PositiveInfinity,
                    lr, 0, new Dictionary<string, double> { ["diverged"] = 1 });
            }
            var runs = new List<(AmunEvaluation Evaluation, UnlearningResult Result)>();
            int diverged = 0;
            for (int k = 0; k < scenario.Repeats; k++)
            {
                try { runs.Add(RunOnce(method, access, lr, forget, scenario.Base.Seed + k)); }
                catch (TrainingDivergedException ex) { diverged++; log?.Invoke($"{method} run {k + 1}: {ex.Message}"); }
            }
            if (runs.Count == 0)
            {
                var nan = new UnlearningMetrics(double.NaN, double.NaN, double.NaN, double.NaN);
                return new AmunRow(method, fraction, access, nan, double.NaN, double.PositiveInfinity, double.PositiveInfinity,
                    double.NaN, 0, new Dictionary<string, double> { ["diverged"] = 1 });
            }
            double Mean(Func<AmunEvaluation, double> f) => runs.Average(r => f(r.Evaluation));
            var metrics = new UnlearningMetrics(Mean(e => e.Metrics.UnlearnAccuracy), Mean(e => e.Metrics.RetainAccuracy), Mean(e => e.Metrics.TestAccuracy), Mean(e => e.Metrics.Mia));
            var gaps = runs.Select(r => r.Evaluation.Metrics.AvgGap(gold.Metrics)).ToArray();
            var misGaps = runs.Select(r => (r.Evaluation.Metrics with { Mia = r.Evaluation.Mis }).AvgGap(gold.Metrics with { Mia = gold.Mis })).ToArray();
            var diagnostics = new Dictionary<string, double>(runs[0].Result.Diagnostics)
            {
                ["runs"] = runs.Count,
                ["diverged_runs"] = diverged,
                ["avg_gap_std"] = SampleStatistics.Std(gaps),
                ["avg_gap_mis_std"] = SampleStatistics.Std(misGaps),
            };
            var row = new AmunRow(method, fraction, access, metrics, Mean(e => e.Mis), gaps.Average(), misGaps.Average(), lr,
                runs.Average(r => r.Result.Seconds), diagnostics) { Gaps = gaps, MisGaps = misGaps, FtScores = runs.Select(r => r.Evaluation.FtScores!).ToArray() };
            log?.Invoke($"{method} ({access}, {fraction:P0}), {runs.Count} runs: unlearn {metrics.UnlearnAccuracy:0.0} retain {metrics.RetainAccuracy:0.0} " +
                        $"test {metrics.TestAccuracy:0.0} FT AUC {metrics.Mia:0.0} → Avg Gap {row.AvgGap:0.00} ± {diagnostics["avg_gap_std"]:0.00} " +
                        $"(runs: {string.Join(" / ", gaps.Select(g => g.ToString("0.00")))})");
            return row;
        });

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var m in _other.Computed) m.Dispose();
        foreach (var m in _retrained.Computed) m.Dispose();
        foreach (var a in _adversarial.Computed) a.Dispose();
    }
}
