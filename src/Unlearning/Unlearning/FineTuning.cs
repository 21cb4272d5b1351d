using TorchSharp;
using Unlearning.Data;
using Unlearning.Models;
using static TorchSharp.torch;

namespace Unlearning.Unlearning;

/// <summary>
/// The fine-tuning recipe shared by AMUN and its baselines (AMUN App. C): SGD with momentum 0.9 and weight decay 5e-4,
/// batch 128, a few epochs, and a StepLR that multiplies the rate by 0.1 every <see cref="StepEvery"/> epochs (0 = none).
/// <see cref="Limits"/> caps the steps of a dry run (null: none; every epoch and its hooks still run).
/// </summary>
public sealed record FineTuneOptions(int Epochs, double LearningRate, int BatchSize = 128, double Momentum = 0.9, double WeightDecay = 5e-4, int StepEvery = 0,
    Training.IterationLimits? Limits = null)
{
    /// <summary>Throws on settings that cannot run.</summary>
    public FineTuneOptions Validate()
    {
        if (Epochs <= 0) throw new ArgumentException($"Epochs = {Epochs} must be positive");
        if (BatchSize <= 0) throw new ArgumentException($"BatchSize = {BatchSize} must be positive");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) throw new ArgumentException($"LearningRate = {LearningRate} must be a positive number");
        Limits?.Validate();
        return this;
    }

    /// <summary>The learning rate during <paramref name="epoch"/> (0-based).</summary>
    public double RateAt(int epoch) => StepEvery > 0 ? LearningRate * Math.Pow(0.1, epoch / StepEvery) : LearningRate;
}

/// <summary>
/// One block of fine-tuning data held in memory: images [N, C, H, W], labels [N], the sign of its loss (+1 descend,
/// −1 ascend) and whether its labels are redrawn uniformly among the wrong classes on every read (RL).
/// </summary>
public sealed class TuneBlock(string name, Tensor images, Tensor labels, double sign = 1, bool randomWrongLabels = false) : IDisposable
{
    /// <summary>Name used in errors ("D_R", "D_F", "D_A").</summary>
    public string Name { get; } = name;
    /// <summary>Images (owned).</summary>
    public Tensor Images { get; private set; } = images;
    /// <summary>Labels (owned).</summary>
    public Tensor Labels { get; private set; } = labels;
    /// <summary>+1 for a descent term, −1 for an ascent term.</summary>
    public double Sign { get; } = sign;
    /// <summary>Labels are redrawn among the wrong classes on every read.</summary>
    public bool RandomWrongLabels { get; } = randomWrongLabels;
    /// <summary>Rows.</summary>
    public long Count => Labels.shape[0];

    /// <summary>The samples at <paramref name="indices"/> of <paramref name="data"/>.</summary>
    public static TuneBlock FromData(string name, ImageDataset data, IReadOnlyList<int> indices, double sign = 1, bool randomWrongLabels = false)
    {
        var (x, y) = data.Batch(indices.ToArray());
        return new TuneBlock(name, x, y, sign, randomWrongLabels);
    }

    /// <summary>Replaces the labels (e.g. BS's per-epoch neighbour labels).</summary>
    public void SetLabels(Tensor labels)
    {
        if (labels.shape[0] != Count) throw new ArgumentException($"{Name}: {labels.shape[0]} labels for {Count} rows");
        Labels.Dispose();
        Labels = labels;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}

/// <summary>Hooks a method adds to plain fine-tuning.</summary>
public sealed class FineTuneHooks
{
    /// <summary>Per-parameter multiplicative gradient masks (SalUn), by parameter name.</summary>
    public IReadOnlyDictionary<string, Tensor>? GradientMask { get; init; }
    /// <summary>ℓ1 coefficient at a global step of a total: added as α_t·‖θ‖₁ (ℓ1-sparse).</summary>
    public Func<int, int, double>? L1 { get; init; }
    /// <summary>Called before each epoch with the epoch index (AMUN Fig. 1 measures its curve here).</summary>
    public Action<int>? BeforeEpoch { get; init; }
    /// <summary>
    /// Called before each epoch that will take optimiser steps, to prepare them (BS recomputes its labels here): every epoch of a
    /// real run; in a dry run only until the step cap is reached.
    /// </summary>
    public Action<int>? BeforeTrainingEpoch { get; init; }
}

/// <summary>
/// Mini-batch fine-tuning over blocks. Each epoch runs its passes in order; a pass is a list of blocks whose rows are
/// shuffled together (AMUN: one pass over D_R ∪ D_F ∪ D_A; GA: a pass over D_R, then one over D_F), and each step is one
/// forward over its mixed batch. One dispose scope per step; a non-finite loss stops with an error naming the method,
/// epoch and rate.
/// </summary>
public static class FineTuning
{
    /// <summary>Fine-tunes <paramref name="model"/> in place.</summary>
    public static void Run(string method, ImageClassifier model, IReadOnlyList<IReadOnlyList<TuneBlock>> passes, FineTuneOptions options, long seed, int numClasses,
        Device device, FineTuneHooks? hooks = null)
    {
        options.Validate();
        if (passes.Count == 0 || passes.All(p => p.Sum(b => b.Count) == 0)) throw new ArgumentException($"{method}: nothing to fine-tune on");
        hooks ??= new FineTuneHooks();
        model.to(device);
        model.train();
        var named = model.named_parameters().ToArray();
        using var optimizer = new Training.SgdOptimizer(model.parameters(), options.LearningRate, options.Momentum, options.WeightDecay);
        var rng = new SeededRandom(seed, stream: 0xF17E);
        if (Training.PathTrace.Current != null)
        {
            var shape = passes.SelectMany(p => p).First(b => b.Count > 0).Images.shape;
            Training.PathTrace.Training(new Training.TrainingSpec(model.Architecture, string.Join("×", shape.Skip(1)), options.Epochs,
                passes.Sum(p => p.Sum(b => b.Count)), options.BatchSize, "fine-tune"));
        }
        int batchSize = Math.Min(options.BatchSize, options.Limits?.BatchSize ?? int.MaxValue);
        int totalSteps = options.Epochs * passes.Sum(p => (int)((p.Sum(b => b.Count) + batchSize - 1) / batchSize));
        int step = 0, stepCap = options.Limits?.Steps ?? int.MaxValue;
        for (int epoch = 0; epoch < options.Epochs; epoch++)
        {
            hooks.BeforeEpoch?.Invoke(epoch);
            if (step < stepCap) hooks.BeforeTrainingEpoch?.Invoke(epoch);
            model.train();
            optimizer.LearningRate = options.RateAt(epoch);
            foreach (var pass in passes)
            {
                var rows = new List<(int Block, long Row)>();
                for (int b = 0; b < pass.Count; b++)
                    for (long r = 0; r < pass[b].Count; r++) rows.Add((b, r));
                var order = rows.ToArray();
                rng.Shuffle(order);
                for (int start = 0; start < order.Length && step < stepCap; start += batchSize, step++)
                {
                    using var scope = NewDisposeScope();
                    var batch = order.AsSpan(start, Math.Min(batchSize, order.Length - start)).ToArray();
                    optimizer.ZeroGrad();
                    // One forward over the whole mixed batch, as a loader over the union of the blocks would give it (batch
                    // norms see the batch the method trains on); each row's loss carries its block's sign.
                    var xs = new List<Tensor>();
                    var ys = new List<Tensor>();
                    var signs = new List<float>(batch.Length);
                    foreach (var byBlock in batch.GroupBy(r => r.Block))
                    {
                        var block = pass[byBlock.Key];
                        var idx = tensor(byBlock.Select(r => r.Row).ToArray(), dtype: ScalarType.Int64);
                        var y = block.Labels.index_select(0, idx);
                        if (block.RandomWrongLabels) y = WrongLabels(y, numClasses, rng);
                        xs.Add(block.Images.index_select(0, idx));
                        ys.Add(y);
                        signs.AddRange(Enumerable.Repeat((float)block.Sign, (int)idx.shape[0]));
                    }
                    var x = xs.Count == 1 ? xs[0] : cat(xs, 0);
                    var labels = ys.Count == 1 ? ys[0] : cat(ys, 0);
                    var perRow = nn.functional.cross_entropy(model.forward(x.to(device)), labels.to(device), reduction: nn.Reduction.None);
                    Tensor total = signs.All(v => v == 1f)
                        ? perRow.sum().Over(batch.Length)
                        : perRow.mul(tensor(signs.ToArray()).to(device)).sum().Over(batch.Length);
                    if (hooks.L1 is { } l1)
                    {
                        double alpha = l1(step, totalSteps);
                        if (alpha > 0)
                        {
                            Tensor penalty = zeros(1, device: device);
                            foreach (var (_, p) in named) penalty = penalty.Plus(p.abs().sum());
                            total = total.Plus(penalty.Times(alpha));
                        }
                    }
                    total.backward();
                    if (hooks.GradientMask is { } mask)
                        using (no_grad())
                            foreach (var (name, p) in named)
                                if (p.grad is { } g && mask.TryGetValue(name, out var m)) g.mul_(m);
                    optimizer.Step();
                    Training.PathTrace.Step();
                    double value = total.item<float>();
                    if (!double.IsFinite(value))
                        throw new Training.TrainingDivergedException($"{method}: loss became {value} at epoch {epoch + 1} (lr {options.RateAt(epoch):G3})");
                }
            }
        }
        model.eval();
    }

    /// <summary>Labels drawn uniformly among the classes other than <paramref name="y"/>.</summary>
    public static Tensor WrongLabels(Tensor y, int numClasses, SeededRandom rng)
    {
        var src = y.cpu().data<long>().ToArray();
        var result = new long[src.Length];
        for (int i = 0; i < src.Length; i++) result[i] = (src[i] + 1 + rng.NextInt(numClasses - 1)) % numClasses;
        return tensor(result, dtype: ScalarType.Int64);
    }
}
