using TorchSharp;
using Unlearning.Data;
using Unlearning.Models;
using static TorchSharp.torch;

namespace Unlearning.Attacks;

/// <summary>Settings of the FFGSM-style variant of Alg. 1 (AMUN App. F.5).</summary>
/// <param name="EpsilonInit">The first step length (L2) along the gradient sign; it doubles on every try of a round.</param>
/// <param name="TriesPerRound">The "few iterations of the While loop" before ε restarts and the start point is perturbed.</param>
/// <param name="Rounds">Rounds before a sample is given up (listed in <see cref="AdversarialSet.Failed"/>).</param>
/// <param name="NoiseNorm">L2 length of the random perturbation added to the start point before each round after the first.</param>
/// <param name="BatchSize">Samples attacked together.</param>
/// <param name="MaxSamples">A dry run's cap on the samples attacked (null: all); the others are listed as failed.</param>
public sealed record FastGradientOptions(double EpsilonInit = 0.04, int TriesPerRound = 8, int Rounds = 10, double NoiseNorm = 0.5, int BatchSize = 128,
    int? MaxSamples = null)
{
    /// <summary>Throws on settings that cannot run.</summary>
    public FastGradientOptions Validate()
    {
        if (!(EpsilonInit > 0)) throw new ArgumentException($"EpsilonInit = {EpsilonInit} must be positive");
        if (TriesPerRound <= 0 || Rounds <= 0 || BatchSize <= 0) throw new ArgumentException("TriesPerRound, Rounds and BatchSize must be positive");
        if (!(NoiseNorm >= 0)) throw new ArgumentException($"NoiseNorm = {NoiseNorm} must be non-negative");
        return this;
    }
}

/// <summary>
/// The weak attack of AMUN App. F.5 (Table 9) in the format of Alg. 1: per round, one gradient of the cross-entropy at the
/// start point x̃ (x itself in round 0, x plus a random perturbation of L2 length <see cref="FastGradientOptions.NoiseNorm"/>
/// afterwards) gives the direction s = sign(∇)/‖sign(∇)‖₂; the tries x̃ + ε·s (clamped to [0, 1]) walk ε = ε_init·2^k for
/// k = 0 … TriesPerRound − 1 and stop at the first misclassified point. One gradient per round, so it is cheap; the
/// points it finds lie much farther from x than PGD's (App. F.5, Fig. 9). The returned set's Epsilon is ‖x_adv − x‖₂'s
/// bound ε + NoiseNorm·[round > 0], Doublings = round·TriesPerRound + k, and PassSizes counts the samples of each round.
/// </summary>
public static class FastGradientSetBuilder
{
    /// <summary>Builds D_A for <paramref name="forget"/> on <paramref name="model"/> with the FFGSM-style attack.</summary>
    public static AdversarialSet Build(ImageClassifier model, ImageDataset data, IReadOnlyList<int> forget, long seed, FastGradientOptions? options = null, Device? device = null)
    {
        var o = (options ?? new FastGradientOptions()).Validate();
        if (forget.Count == 0) throw new ArgumentException("the forget set is empty: there is nothing to attack");
        TorchRuntime.EnsureInitialized();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var dev = device ?? CPU;
        var requested = forget.ToArray();
        int n = requested.Length;
        var labels = new long[n];
        var eps = new double[n];
        var doublings = new int[n];
        var passSizes = new List<int>();
        long evaluations = 0;
        using var generator = new Generator((ulong)seed ^ 0xFF65UL);
        bool wasTraining = model.training;
        model.eval();
        var (xAll, yAll) = data.Batch(requested);
        using var x0 = xAll.to(dev);
        using var y = yAll.to(dev);
        if (!ReferenceEquals(xAll, x0)) xAll.Dispose();
        if (!ReferenceEquals(yAll, y)) yAll.Dispose();
        var found = x0.clone();
        int attacked = Math.Min(n, o.MaxSamples ?? n);
        var pending = Enumerable.Range(0, attacked).ToList();
        try
        {
            for (int round = 0; round < o.Rounds && pending.Count > 0; round++)
            {
                passSizes.Add(pending.Count);
                var still = new List<int>();
                for (int b = 0; b < pending.Count; b += o.BatchSize)
                {
                    var rows = pending.Skip(b).Take(o.BatchSize).ToArray();
                    using var scope = NewDisposeScope();
                    var idx = tensor(rows.Select(r => (long)r).ToArray(), dtype: ScalarType.Int64, device: dev);
                    var xb = x0.index_select(0, idx);
                    var yb = y.index_select(0, idx);
                    var start = xb;
                    if (round > 0 && o.NoiseNorm > 0)
                    {
                        var noise = randn(xb.shape, generator: generator).to(dev);
                        var norm = noise.flatten(1).norm(1, keepdim: false, p: 2).AtLeast(1e-12).view(-1, 1, 1, 1);
                        start = xb.Plus(noise.div(norm).Times(o.NoiseNorm)).Within(0, 1);
                    }
                    var xs = start.detach().requires_grad_(true);
                    var loss = nn.functional.cross_entropy(model.forward(xs).to_type(ScalarType.Float64), yb, reduction: nn.Reduction.Sum);
                    var sign = autograd.grad([loss], [xs])[0].sign();
                    evaluations += rows.Length;
                    var direction = sign.div(sign.flatten(1).norm(1, keepdim: false, p: 2).AtLeast(1e-12).view(-1, 1, 1, 1));
                    var open = Enumerable.Range(0, rows.Length).ToHashSet();
                    for (int k = 0; k < o.TriesPerRound && open.Count > 0; k++)
                    {
                        double level = o.EpsilonInit * Math.Pow(2, k);
                        Tensor candidate, predicted;
                        using (no_grad())
                        {
                            candidate = start.Plus(direction.Times(level)).Within(0, 1);
                            predicted = model.forward(candidate).argmax(1);
                        }
                        var p = predicted.cpu().data<long>().ToArray();
                        var truth = yb.cpu().data<long>().ToArray();
                        var hits = open.Where(r => p[r] != truth[r]).ToArray();
                        if (hits.Length == 0) continue;
                        using var hitIdx = tensor(hits.Select(r => (long)rows[r]).ToArray(), dtype: ScalarType.Int64, device: dev);
                        using var local = tensor(hits.Select(r => (long)r).ToArray(), dtype: ScalarType.Int64, device: dev);
                        using (no_grad()) found.index_copy_(0, hitIdx, candidate.index_select(0, local));
                        foreach (int r in hits)
                        {
                            labels[rows[r]] = p[r];
                            eps[rows[r]] = level + (round > 0 ? o.NoiseNorm : 0);
                            doublings[rows[r]] = round * o.TriesPerRound + k;
                            open.Remove(r);
                        }
                    }
                    still.AddRange(open.Order().Select(r => rows[r]));
                }
                pending = still;
            }
        }
        finally
        {
            if (wasTraining) model.train();
        }
        if (pending.Count == attacked)
        {
            found.Dispose();
            throw new InvalidOperationException($"the FFGSM-style attack found no adversarial example for any of the {n} samples in {o.Rounds} rounds");
        }
        var failed = pending.Concat(Enumerable.Range(attacked, n - attacked)).ToHashSet();
        var ok = Enumerable.Range(0, n).Where(i => !failed.Contains(i)).ToArray();
        double[] distance;
        Tensor images;
        using (var scope = NewDisposeScope())
        {
            using var idx = tensor(ok.Select(i => (long)i).ToArray(), dtype: ScalarType.Int64, device: dev);
            var kept = found.index_select(0, idx);
            distance = kept.sub(x0.index_select(0, idx)).flatten(1).norm(1, keepdim: false, p: 2).cpu().to_type(ScalarType.Float64).data<double>().ToArray();
            images = kept.MoveToOuterDisposeScope();
        }
        found.Dispose();
        return new AdversarialSet(requested, ok.Select(i => requested[i]).ToArray(), pending.Order().Select(i => requested[i]).ToArray(), images,
            ok.Select(i => labels[i]).ToArray(), ok.Select(i => eps[i]).ToArray(), distance, ok.Select(i => doublings[i]).ToArray(), o.EpsilonInit,
            passSizes.ToArray(), evaluations, clock.Elapsed.TotalSeconds);
    }
}
