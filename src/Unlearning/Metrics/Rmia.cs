using Unlearning.Data;
using Unlearning.Models;
using Unlearning.Training;
using static TorchSharp.torch;

namespace Unlearning.Metrics;

/// <summary>RMIA's settings (AMUN App. C: SM-Taylor softmax, temperature 2, γ = 2).</summary>
/// <param name="Temperature">Logits are divided by T before the Taylor softmax.</param>
/// <param name="Margin">Soft margin m subtracted from the true-class logit.</param>
/// <param name="TaylorOrder">Degree n of the Taylor polynomial of exp (even, so it stays positive).</param>
/// <param name="Gamma">Likelihood-ratio threshold γ of the pairwise test.</param>
public sealed record RmiaOptions(double Temperature = 2, double Margin = 0.6, int TaylorOrder = 4, double Gamma = 2)
{
    /// <summary>Throws on settings that make the signal meaningless.</summary>
    public RmiaOptions Validate()
    {
        if (!(Temperature > 0)) throw new ArgumentException($"Temperature = {Temperature} must be positive");
        if (TaylorOrder < 2 || TaylorOrder % 2 != 0) throw new ArgumentException($"TaylorOrder = {TaylorOrder} must be even and ≥ 2 (an odd Taylor polynomial of exp goes negative)");
        if (!(Gamma > 0)) throw new ArgumentException($"Gamma = {Gamma} must be positive");
        return this;
    }
}

/// <summary>
/// RMIA (Zarifzadeh et al. 2024) in its online form, as AMUN evaluates unlearning with it. Pr(x|θ) is the soft-margin
/// Taylor softmax of the true class; Pr(x) is its mean over k reference models, each trained on a random half of a pool
/// that contains every target (so each target is IN for half of them). ratio(x) = Pr(x|θ)/Pr(x) and the score of x is
/// the share of population points z (never trained on by the target model) with ratio(x)/ratio(z) &gt; γ. FT AUC is the ROC AUC of
/// forget-set against test-set scores; a model that never saw D_F scores it like D_T (AUC ≈ 50%).
/// </summary>
public sealed class Rmia
{
    private readonly RmiaOptions _options;
    private readonly Dictionary<int, double> _prX;
    private readonly int[] _population;
    private readonly Evaluator _evaluator;

    /// <summary>Number of reference models behind Pr(x).</summary>
    public int ReferenceModels { get; }

    /// <summary>
    /// Computes Pr(x) for <paramref name="targets"/> and <paramref name="population"/> from the reference models.
    /// </summary>
    public Rmia(IReadOnlyList<ImageClassifier> references, ImageDataset data, IReadOnlyList<int> targets, IReadOnlyList<int> population,
        RmiaOptions? options = null, Device? device = null, IterationLimits? limits = null)
        : this(references.Select(r => ReferenceSignal(r, data, Points(targets, population), options, device, limits)).ToList(), data, targets, population, options, device, limits)
    {
    }

    /// <summary>
    /// RMIA from the reference models' signals Pr(x|θ_m) on <see cref="Points"/>(<paramref name="targets"/>, <paramref name="population"/>)
    /// (<see cref="ReferenceSignal"/>): a caller can train a reference model, take its signal and release it, so that 128
    /// ResNet-18 references need not be held at once.
    /// </summary>
    public Rmia(IReadOnlyList<double[]> referenceSignals, ImageDataset data, IReadOnlyList<int> targets, IReadOnlyList<int> population,
        RmiaOptions? options = null, Device? device = null, IterationLimits? limits = null)
    {
        _options = (options ?? new RmiaOptions()).Validate();
        if (referenceSignals.Count == 0) throw new ArgumentException("RMIA needs at least one reference model");
        if (population.Count == 0) throw new ArgumentException("RMIA needs a non-empty population set");
        _evaluator = new Evaluator(device, limits: limits);
        ReferenceModels = referenceSignals.Count;
        var all = Points(targets, population);
        var sum = new double[all.Length];
        foreach (var s in referenceSignals)
        {
            if (s.Length != all.Length) throw new ArgumentException($"a reference signal has {s.Length} values for {all.Length} points (targets then population, distinct)");
            for (int i = 0; i < all.Length; i++) sum[i] += s[i];
        }
        _prX = new Dictionary<int, double>(all.Length);
        for (int i = 0; i < all.Length; i++) _prX[all[i]] = sum[i] / referenceSignals.Count;
        _population = population.ToArray();
        Data = data;
    }

    /// <summary>The points a reference signal covers, in its order: the targets, then the population points not among them.</summary>
    public static int[] Points(IReadOnlyList<int> targets, IReadOnlyList<int> population) => targets.Concat(population).Distinct().ToArray();

    /// <summary>Pr(x|θ) of one reference model on <paramref name="points"/> (see <see cref="Points"/>).</summary>
    public static double[] ReferenceSignal(ImageClassifier reference, ImageDataset data, IReadOnlyList<int> points, RmiaOptions? options = null, Device? device = null,
        IterationLimits? limits = null) =>
        Signal(new Evaluator(device, limits: limits), reference, data, points, (options ?? new RmiaOptions()).Validate());

    /// <summary>The dataset the indices refer to.</summary>
    public ImageDataset Data { get; }

    /// <summary>Pr(x|θ): the soft-margin Taylor softmax probability of the true class, per index.</summary>
    public double[] Signal(ImageClassifier model, ImageDataset data, IReadOnlyList<int> indices) => Signal(_evaluator, model, data, indices, _options);

    private static double[] Signal(Evaluator evaluator, ImageClassifier model, ImageDataset data, IReadOnlyList<int> indices, RmiaOptions options)
    {
        var e = evaluator.Evaluate(model, data, indices, keepLogits: true);
        var result = new double[indices.Count];
        for (int i = 0; i < result.Length; i++) result[i] = TaylorSoftMargin(e.Logits![i], e.Labels[i], options);
        return result;
    }

    /// <summary>SM-Taylor softmax of class <paramref name="label"/>: t(z_y/T − m) / (t(z_y/T − m) + Σ_{j≠y} t(z_j/T)), t = Σ_{k≤n} z^k/k!.</summary>
    public static double TaylorSoftMargin(IReadOnlyList<float> logits, int label, RmiaOptions options)
    {
        double own = Taylor(logits[label] / options.Temperature - options.Margin, options.TaylorOrder), others = 0;
        for (int j = 0; j < logits.Count; j++)
            if (j != label) others += Taylor(logits[j] / options.Temperature, options.TaylorOrder);
        return own / (own + others);
    }

    private static double Taylor(double z, int order)
    {
        double term = 1, sum = 1;
        for (int k = 1; k <= order; k++) { term *= z / k; sum += term; }
        return sum;
    }

    /// <summary>RMIA scores of <paramref name="targets"/> under <paramref name="model"/> (each in [0, 1]).</summary>
    public double[] Scores(ImageClassifier model, IReadOnlyList<int> targets)
    {
        foreach (int t in targets)
            if (!_prX.ContainsKey(t)) throw new ArgumentException($"sample {t} was not a target when the reference signals were computed");
        var zSignal = Signal(model, Data, _population);
        var zRatio = new double[_population.Length];
        for (int i = 0; i < zRatio.Length; i++) zRatio[i] = zSignal[i] / _prX[_population[i]];
        Array.Sort(zRatio);
        var xSignal = Signal(model, Data, targets);
        var scores = new double[targets.Count];
        for (int i = 0; i < scores.Length; i++)
        {
            double ratio = xSignal[i] / _prX[targets[i]];
            // count z with ratio / ratio_z > γ  ⇔  ratio_z < ratio / γ
            scores[i] = LowerBound(zRatio, ratio / _options.Gamma) / (double)zRatio.Length;
        }
        return scores;
    }

    /// <summary>
    /// ROC AUC (%) of <paramref name="members"/>' scores against <paramref name="nonMembers"/>': the larger set is subsampled
    /// to the smaller one's size, <paramref name="draws"/> times with seeds from <paramref name="seed"/>, and the AUCs averaged.
    /// </summary>
    public double Auc(ImageClassifier model, IReadOnlyList<int> members, IReadOnlyList<int> nonMembers, long seed, int draws = 3)
    {
        var s = MemberScores(model, members, nonMembers);
        return BalancedAuc(s.Members, s.NonMembers, seed, draws);
    }

    /// <summary>RMIA scores of <paramref name="members"/> and of <paramref name="nonMembers"/>, each in the given order.</summary>
    public ScoreSets MemberScores(ImageClassifier model, IReadOnlyList<int> members, IReadOnlyList<int> nonMembers)
    {
        var all = members.Concat(nonMembers).Distinct().ToArray();
        var scores = all.Zip(Scores(model, all)).ToDictionary(p => p.First, p => p.Second);
        return new ScoreSets(members.Select(i => scores[i]).ToArray(), nonMembers.Select(i => scores[i]).ToArray());
    }

    /// <summary>Mean AUC (%) over <paramref name="draws"/> balanced subsamples of two score sets.</summary>
    public static double BalancedAuc(double[] positives, double[] negatives, long seed, int draws = 3)
    {
        int n = Math.Min(positives.Length, negatives.Length);
        double sum = 0;
        for (int d = 0; d < draws; d++)
        {
            var rng = new SeededRandom(seed, stream: 0xA0C0UL + (ulong)d);
            sum += RocAuc.Compute(Take(positives, n, rng), Take(negatives, n, rng));
        }
        return 100 * sum / draws;
    }

    private static double[] Take(double[] values, int n, SeededRandom rng)
    {
        if (values.Length == n) return values;
        var perm = rng.Permutation(values.Length);
        return perm.Take(n).Select(i => values[i]).ToArray();
    }

    private static int LowerBound(double[] sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < value) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}

/// <summary>Per-sample scores of a membership test: members (D_F) and non-members (D_T), each in the order of its set.</summary>
public sealed record ScoreSets(double[] Members, double[] NonMembers);
