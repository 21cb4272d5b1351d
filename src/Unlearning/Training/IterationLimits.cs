namespace Unlearning.Training;

/// <summary>
/// Caps for a dry run of the paper scale (<c>reproduce run --scale paper --dry-run</c>): every training takes at most
/// <see cref="Steps"/> optimiser steps in all (its epochs still run, with their end-of-epoch hooks, so that every code path
/// that waits on an epoch is taken), and every evaluation scores at most <see cref="EvalBatches"/> batches, its other
/// samples filled in from those so that callers that read per-sample outputs by position still get a full-length result;
/// both use batches of at most <see cref="BatchSize"/> (a ResNet-18 step at the paper's batch of 128 takes seconds on a CPU,
/// and a dry run trains 128 RMIA reference models).
/// A dry run checks that the paper path runs, with the real architectures, shapes and schedules, not what it measures:
/// nothing it computes is a result. Null in a configuration means no cap (every real run).
/// </summary>
/// <param name="Steps">Optimiser steps per training, over all its epochs (≥ 1).</param>
/// <param name="EvalBatches">Batches per evaluation (≥ 1).</param>
/// <param name="BatchSize">The largest training and evaluation batch (≥ 1; smaller configured batches are kept).</param>
public sealed record IterationLimits(int Steps = 2, int EvalBatches = 2, int BatchSize = 16)
{
    /// <summary>Throws on a cap that would skip the code it is meant to run.</summary>
    public IterationLimits Validate()
    {
        if (Steps < 1) throw new ArgumentException($"a dry run takes at least one step per training (Steps = {Steps})", nameof(Steps));
        if (EvalBatches < 1) throw new ArgumentException($"a dry run evaluates at least one batch (EvalBatches = {EvalBatches})", nameof(EvalBatches));
        if (BatchSize < 1) throw new ArgumentException($"a dry run's batches hold at least one sample (BatchSize = {BatchSize})", nameof(BatchSize));
        return this;
    }
}
