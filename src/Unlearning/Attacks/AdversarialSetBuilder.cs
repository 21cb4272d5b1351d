using TorchSharp;
using Unlearning.Data;
using Unlearning.Models;
using static TorchSharp.torch;

namespace Unlearning.Attacks;

/// <summary>Settings of Alg. 1.</summary>
/// <param name="Pgd">The attack A (PGD-50 L2, step 0.1·ε).</param>
/// <param name="ProbeEpsilon">The small ε the probe starts from (the reference's ε_init 0.04 for inputs in [0, 1]).</param>
/// <param name="ProbeSize">Samples of D_F the probe runs on (AMUN App. E.1: e.g. 100).</param>
/// <param name="ProbeSuccess">ε_init is the smallest probe level by which at least this share of the probe succeeded.</param>
/// <param name="MaxDoublings">Cap on the doublings: a sample still correctly classified after it (PGD stuck at a local
/// maximum of the loss inside the [0, 1] box) gets no adversarial example and is listed in <see cref="AdversarialSet.Failed"/>.</param>
/// <param name="BatchSize">Samples attacked together.</param>
/// <param name="MaxSamples">A dry run's cap on the samples attacked (null: all of them, as Alg. 1 does): the first ones of each
/// request are attacked and the others listed in <see cref="AdversarialSet.Failed"/>, the path a sample without an example takes.</param>
public sealed record AdversarialOptions(PgdOptions Pgd, double ProbeEpsilon = 0.04, int ProbeSize = 100, double ProbeSuccess = 0.95, int MaxDoublings = 10, int BatchSize = 128,
    int? MaxSamples = null)
{
    /// <summary>AMUN's defaults.</summary>
    public static AdversarialOptions Default => new(new PgdOptions());
}

/// <summary>
/// D_A of AMUN Alg. 1 for a forget set: per sample x_adv (misclassified), y_adv = F(x_adv), the final ε = ε_init·2^k
/// (k minimal: the pass at ε_init·2^(k−1) did not succeed), ‖x_adv − x‖₂ and k. Samples for which no adversarial
/// example was found within the doubling cap are listed in <see cref="Failed"/> and have no row.
/// </summary>
public sealed class AdversarialSet : IDisposable
{
    internal AdversarialSet(int[] requested, int[] indices, int[] failed, Tensor images, long[] labels, double[] epsilon, double[] distance, int[] doublings,
        double epsilonInit, int[] passSizes, long gradientEvaluations, double seconds)
    {
        Requested = requested; Indices = indices; Failed = failed; Images = images; Labels = labels; Epsilon = epsilon; Distance = distance;
        Doublings = doublings; EpsilonInit = epsilonInit; PassSizes = passSizes; GradientEvaluations = gradientEvaluations; Seconds = seconds;
    }

    /// <summary>The forget set D_F the set was built for, in order.</summary>
    public int[] Requested { get; }
    /// <summary>The dataset indices with an adversarial example (the rows), in order.</summary>
    public int[] Indices { get; }
    /// <summary>Samples of D_F still correctly classified after the doubling cap (no row).</summary>
    public int[] Failed { get; }
    /// <summary>x_adv [N, C, H, W] (owned by this set).</summary>
    public Tensor Images { get; }
    /// <summary>y_adv = the model's prediction on x_adv.</summary>
    public long[] Labels { get; }
    /// <summary>Final ε per sample.</summary>
    public double[] Epsilon { get; }
    /// <summary>‖x_adv − x‖₂ per sample.</summary>
    public double[] Distance { get; }
    /// <summary>Doublings k per sample (final ε = ε_init·2^k).</summary>
    public int[] Doublings { get; }
    /// <summary>ε_init chosen from the probe.</summary>
    public double EpsilonInit { get; }
    /// <summary>Samples attacked in each pass (pass 0 = all of D_F at ε_init).</summary>
    public int[] PassSizes { get; }
    /// <summary>Sample-level gradient evaluations spent over all passes (the probe excluded).</summary>
    public long GradientEvaluations { get; }
    /// <summary>Wall time including the probe.</summary>
    public double Seconds { get; }

    /// <summary>The work in units of one full PGD pass over D_F: Σ pass sizes / |D_F| (AMUN App. E.1: below 3).</summary>
    public double PassEquivalents => PassSizes.Sum() / (double)Requested.Length;

    /// <summary>
    /// The rows of <paramref name="forget"/> (a subset of <see cref="Requested"/>) as a set of their own, images cloned:
    /// AMUN's batched requests (§6.3) compute D_A once for all requests and hand each request its part. Pass sizes are
    /// recounted from the doublings; cost fields are zero (the work was done by the parent set).
    /// </summary>
    public AdversarialSet Subset(IReadOnlyList<int> forget)
    {
        var requested = new HashSet<int>(Requested);
        foreach (int f in forget)
            if (!requested.Contains(f)) throw new ArgumentException($"sample {f} is not in the forget set this adversarial set was built for");
        var row = Indices.Select((index, i) => (index, i)).ToDictionary(p => p.index, p => p.i);
        var failed = new HashSet<int>(Failed);
        var kept = forget.Where(row.ContainsKey).ToArray();
        var lost = forget.Where(failed.Contains).ToArray();
        using var idx = tensor(kept.Select(i => (long)row[i]).ToArray(), dtype: ScalarType.Int64, device: Images.device);
        var doublings = kept.Select(i => Doublings[row[i]]).ToArray();
        int levels = doublings.Length == 0 ? 1 : doublings.Max() + 1;
        var passes = Enumerable.Range(0, levels).Select(k => doublings.Count(d => d >= k) + lost.Length).ToArray();
        return new AdversarialSet(forget.ToArray(), kept, lost, Images.index_select(0, idx), kept.Select(i => Labels[row[i]]).ToArray(),
            kept.Select(i => Epsilon[row[i]]).ToArray(), kept.Select(i => Distance[row[i]]).ToArray(), doublings, EpsilonInit, passes, 0, 0);
    }

    /// <inheritdoc />
    public void Dispose() => Images.Dispose();
}

/// <summary>
/// AMUN Alg. 1, batched as App. E.1 describes: every sample of D_F is attacked at ε_init; only those still correctly
/// classified continue, from their current image, with ε doubled, until all are misclassified. ε_init comes from a
/// probe: Alg. 1 run from <see cref="AdversarialOptions.ProbeEpsilon"/> on a random subset, taking the smallest ε of the
/// doubling ladder by which ≥ 95% of the probe had succeeded.
/// </summary>
public static class AdversarialSetBuilder
{
    /// <summary>Builds D_A for <paramref name="forget"/> on <paramref name="model"/>.</summary>
    public static AdversarialSet Build(ImageClassifier model, ImageDataset data, IReadOnlyList<int> forget, long seed, AdversarialOptions? options = null, Device? device = null)
    {
        var o = options ?? AdversarialOptions.Default;
        if (forget.Count == 0) throw new ArgumentException("the forget set is empty: there is nothing to attack");
        if (!(o.ProbeEpsilon > 0)) throw new ArgumentException($"ProbeEpsilon = {o.ProbeEpsilon} must be positive");
        TorchRuntime.EnsureInitialized();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var rng = new SeededRandom(seed, stream: 0xADF);
        var probe = rng.Permutation(forget.Count).Take(Math.Min(o.ProbeSize, forget.Count)).Select(i => forget[i]).ToArray();
        var probeRun = Run(model, data, probe, o.ProbeEpsilon, o, device, requireOne: true);
        // Probe samples without an adversarial example count as needing more than the cap.
        var probeK = probeRun.Doublings.Select((k, i) => probeRun.Failed.Contains(i) ? o.MaxDoublings : k).Order().ToArray();
        int needed = Math.Max(1, (int)Math.Ceiling(o.ProbeSuccess * probeK.Length));
        double epsInit = o.ProbeEpsilon * Math.Pow(2, probeK[needed - 1]);
        probeRun.Images.Dispose();
        return Assemble(forget.ToArray(), Run(model, data, forget.ToArray(), epsInit, o, device, requireOne: true), epsInit, clock);
    }

    /// <summary>
    /// Alg. 1's doubling ladder alone, from a given <paramref name="epsilonInit"/> (no probe) and at most
    /// <see cref="AdversarialOptions.MaxDoublings"/> doublings: what <see cref="Build"/> does after its probe. Samples still
    /// correctly classified at the last level are <see cref="AdversarialSet.Failed"/> — all of them, possibly, which is not an
    /// error here. Each sample's passes depend on that sample alone (PGD is deterministic and per sample; a pass continues from
    /// the sample's image after the previous one), so a sample at the same ε_init climbs the same levels as in
    /// <see cref="Build"/>: one whose doubling count is k is still correctly classified when the ladder stops at level k − 1.
    /// </summary>
    public static AdversarialSet Ladder(ImageClassifier model, ImageDataset data, IReadOnlyList<int> samples, double epsilonInit, AdversarialOptions options, Device? device = null)
    {
        if (samples.Count == 0) throw new ArgumentException("no samples to attack");
        if (!(epsilonInit > 0)) throw new ArgumentException($"ε_init = {epsilonInit} must be positive");
        TorchRuntime.EnsureInitialized();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        return Assemble(samples.ToArray(), Run(model, data, samples.ToArray(), epsilonInit, options, device, requireOne: false), epsilonInit, clock);
    }

    private static AdversarialSet Assemble(int[] requested, RunResult run, double epsInit, System.Diagnostics.Stopwatch clock)
    {
        var ok = Enumerable.Range(0, requested.Length).Where(i => !run.Failed.Contains(i)).ToArray();
        Tensor images;
        if (ok.Length == requested.Length) images = run.Images;
        else
        {
            using var idx = tensor(ok.Select(i => (long)i).ToArray(), dtype: ScalarType.Int64, device: run.Images.device);
            images = run.Images.index_select(0, idx);
            run.Images.Dispose();
        }
        return new AdversarialSet(requested, ok.Select(i => requested[i]).ToArray(), run.Failed.Select(i => requested[i]).ToArray(), images,
            ok.Select(i => run.Labels[i]).ToArray(), ok.Select(i => run.Epsilon[i]).ToArray(), ok.Select(i => run.Distance[i]).ToArray(),
            ok.Select(i => run.Doublings[i]).ToArray(), epsInit, run.PassSizes, run.Evaluations, clock.Elapsed.TotalSeconds);
    }

    private sealed record RunResult(Tensor Images, long[] Labels, double[] Epsilon, double[] Distance, int[] Doublings, int[] PassSizes, long Evaluations, HashSet<int> Failed);

    private static RunResult Run(ImageClassifier model, ImageDataset data, int[] indices, double epsInit, AdversarialOptions o, Device? device, bool requireOne)
    {
        var dev = device ?? CPU;
        int n = indices.Length;
        var labels = new long[n];
        var eps = new double[n];
        var distance = new double[n];
        var doublings = new int[n];
        var passSizes = new List<int>();
        long evaluations = 0;
        var (x0All, yAll) = data.Batch(indices);
        using var x0 = x0All.to(dev);
        using var y = yAll.to(dev);
        if (!ReferenceEquals(x0All, x0)) x0All.Dispose();
        if (!ReferenceEquals(yAll, y)) yAll.Dispose();
        var current = x0.clone();
        int attacked = Math.Min(n, o.MaxSamples ?? n);
        var pending = Enumerable.Range(0, attacked).ToList();
        for (int k = 0; pending.Count > 0 && k <= o.MaxDoublings; k++)
        {
            passSizes.Add(pending.Count);
            double level = epsInit * Math.Pow(2, k);
            var stillPending = new List<int>();
            for (int b = 0; b < pending.Count; b += o.BatchSize)
            {
                var rows = pending.Skip(b).Take(o.BatchSize).ToArray();
                using var scope = NewDisposeScope();
                var idx = tensor(rows.Select(r => (long)r).ToArray(), dtype: ScalarType.Int64, device: dev);
                var xb = x0.index_select(0, idx);
                var sb = current.index_select(0, idx);
                var yb = y.index_select(0, idx);
                var outcome = PgdL2.Attack(model, xb, sb, yb, ScalarMath.Full(rows.Length, level, ScalarType.Float32, dev), o.Pgd);
                evaluations += outcome.GradientEvaluations;
                using (no_grad()) current.index_copy_(0, idx, outcome.Adversarial);
                for (int r = 0; r < rows.Length; r++)
                {
                    if (outcome.Success[r])
                    {
                        labels[rows[r]] = outcome.Predicted[r];
                        eps[rows[r]] = level;
                        doublings[rows[r]] = k;
                    }
                    else stillPending.Add(rows[r]);
                }
            }
            pending = stillPending;
        }
        using (var scope = NewDisposeScope())
        {
            var d = current.sub(x0).flatten(1).norm(1, keepdim: false, p: 2).cpu().to_type(ScalarType.Float64).data<double>().ToArray();
            Array.Copy(d, distance, n);
        }
        if (requireOne && pending.Count == attacked) { current.Dispose(); throw new InvalidOperationException($"Alg. 1 found no adversarial example for any of the {attacked} samples within ε = {epsInit * Math.Pow(2, o.MaxDoublings):G3}"); }
        return new RunResult(current, labels, eps, distance, doublings, passSizes.ToArray(), evaluations, pending.Concat(Enumerable.Range(attacked, n - attacked)).ToHashSet());
    }
}
