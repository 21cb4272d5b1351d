using System.Diagnostics;
using TorchSharp;
using Unlearning.Data;
using Unlearning.Models;
using static TorchSharp.torch;

namespace Unlearning.Training;

/// <summary>Progress of a training run, reported once per epoch and every few steps.</summary>
public sealed record TrainingProgress(int Epoch, int Epochs, int Step, int StepsPerEpoch, double MeanLoss, double LearningRate);

/// <summary>What a finished run reports.</summary>
public sealed record TrainingReport(IReadOnlyList<double> EpochLosses, int Steps, double Seconds, long Images)
{
    /// <summary>Training throughput.</summary>
    public double ImagesPerSecond => Seconds > 0 ? Images / Seconds : 0;
}

/// <summary>Computes a batch loss from the model, inputs and targets (default: mean cross-entropy).</summary>
public delegate Tensor LossFunction(ImageClassifier model, Tensor x, Tensor y);

/// <summary>Rewrites a batch before the step (e.g. a poison trigger applied after augmentation); gets the batch's dataset indices.</summary>
public delegate (Tensor X, Tensor Y) BatchTransform(Tensor x, Tensor y, int[] indices);

/// <summary>
/// Mini-batch training: each epoch visits the given indices in a permutation drawn from the seed (same seed,
/// same order); every step runs in its own <see cref="torch.NewDisposeScope"/>, so native memory stays flat. A
/// config's <see cref="TrainingConfig.Augment"/> rewrites each batch (from its own random stream, so the visiting order
/// is the same with or without it) before the batch transform.
/// </summary>
public sealed class Trainer(Device? device = null)
{
    private readonly Device _device = device ?? CPU;

    /// <summary>Default loss: mean cross-entropy of the logits.</summary>
    public static Tensor CrossEntropy(ImageClassifier model, Tensor x, Tensor y) =>
        nn.functional.cross_entropy(model.forward(x), y);

    /// <summary>
    /// Trains <paramref name="model"/> in place on <paramref name="indices"/> of <paramref name="data"/>.
    /// <paramref name="epochEnd"/>, if given, is called after each epoch (1-based) with the model in eval mode, e.g. to
    /// evaluate it at several epoch budgets of one run.
    /// </summary>
    public TrainingReport Fit(
        ImageClassifier model, ImageDataset data, IReadOnlyList<int> indices, TrainingConfig config, long seed,
        IProgress<TrainingProgress>? progress = null, LossFunction? loss = null, BatchTransform? transform = null,
        CancellationToken cancellation = default, Action<int>? epochEnd = null)
    {
        config.Validate();
        if (indices.Count == 0) throw new ArgumentException("cannot train on an empty index set", nameof(indices));
        model.CheckInput(data);
        TorchRuntime.EnsureInitialized();
        loss ??= CrossEntropy;
        model.to(_device);
        model.train();
        using var optimizer = ParameterOptimizer.Create(model, config);
        if (PathTrace.Current != null)
        {
            var (c, h, w) = data.ImageShape;
            PathTrace.Training(new TrainingSpec(model.Architecture, $"{c}×{h}×{w}", config.Epochs, indices.Count, config.BatchSize, "train"));
        }
        var rng = new SeededRandom(seed, stream: 0x7A1);
        var augmentRng = new SeededRandom(seed, stream: 0xA06);
        int[] order = indices.ToArray();
        int batchSize = Math.Min(config.BatchSize, config.Limits?.BatchSize ?? int.MaxValue);
        int stepsPerEpoch = (order.Length + batchSize - 1) / batchSize;
        int totalSteps = stepsPerEpoch * config.Epochs;
        var losses = new List<double>(config.Epochs);
        var clock = Stopwatch.StartNew();
        long images = 0;
        int step = 0;
        int stepCap = config.Limits?.Steps ?? int.MaxValue;
        for (int epoch = 0; epoch < config.Epochs; epoch++)
        {
            rng.Shuffle(order);
            double sum = 0;
            int taken = 0;
            for (int b = 0; b < stepsPerEpoch && step < stepCap; b++, step++, taken++)
            {
                cancellation.ThrowIfCancellationRequested();
                double lr = config.LearningRateAt(step, totalSteps, stepsPerEpoch);
                optimizer.LearningRate = lr;
                int start = b * batchSize, count = Math.Min(batchSize, order.Length - start);
                int[] batch = order.AsSpan(start, count).ToArray();
                using (NewDisposeScope())
                {
                    var (x, y) = data.Batch(batch);
                    if (config.Augment is { } augment) x = augment.Apply(x, augmentRng);
                    if (transform != null) (x, y) = transform(x, y, batch);
                    x = x.to(_device);
                    y = y.to(_device);
                    optimizer.ZeroGrad();
                    var l = loss(model, x, y);
                    l.backward();
                    optimizer.Step();
                    PathTrace.Step();
                    double value = l.item<float>();
                    if (!double.IsFinite(value))
                        throw new TrainingDivergedException($"loss became {value} at epoch {epoch + 1}, step {b + 1} (lr {lr:G3})");
                    sum += value;
                }
                images += count;
                if (progress != null && (b + 1) % 20 == 0)
                    progress.Report(new TrainingProgress(epoch + 1, config.Epochs, b + 1, stepsPerEpoch, sum / (b + 1), lr));
            }
            // A capped (dry-run) epoch that took no step repeats the last epoch's loss; an uncapped one always takes them all.
            double epochLoss = taken > 0 ? sum / taken : losses[^1];
            losses.Add(epochLoss);
            progress?.Report(new TrainingProgress(epoch + 1, config.Epochs, stepsPerEpoch, stepsPerEpoch, epochLoss, config.LearningRateAt(Math.Max(0, step - 1), totalSteps, stepsPerEpoch)));
            if (epochEnd != null)
            {
                model.eval();
                epochEnd(epoch + 1);
                model.train();
            }
        }
        model.eval();
        return new TrainingReport(losses, step, clock.Elapsed.TotalSeconds, images);
    }
}

/// <summary>Training produced a non-finite loss; the message names the epoch, step and learning rate.</summary>
public sealed class TrainingDivergedException(string message) : Exception(message);
