using TorchSharp;
using Unlearning.Data;
using Unlearning.Models;
using Unlearning.Training;
using static TorchSharp.torch;

namespace Unlearning.Unlearning;

/// <summary>How per-parameter importance is estimated.</summary>
public enum ImportanceKind
{
    /// <summary>SSD (Foster et al.): diagonal Fisher, batch-mean cross-entropy, squared gradients accumulated.</summary>
    Ssd,
    /// <summary>LF (Potion Eq. 3): batch mean of ‖f(x)‖₂² (squared L2 norm of the logits), |gradient| accumulated.</summary>
    LossFree,
    /// <summary>XLF (Potion Eq. 4, w = 1 by default): batch mean of ‖f(x)‖₂^w, |gradient| accumulated.</summary>
    ExponentLossFree,
}

/// <summary>Per-entry importances of every parameter, keyed by state-dict name. Owns its tensors.</summary>
public sealed class ParameterImportance(IReadOnlyDictionary<string, Tensor> values) : IDisposable
{
    /// <summary>Importance tensors, same shapes as the parameters.</summary>
    public IReadOnlyDictionary<string, Tensor> Values { get; } = values;

    /// <summary>Total number of entries.</summary>
    public long Count => Values.Values.Sum(t => t.numel());

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var t in Values.Values) t.Dispose();
    }
}

/// <summary>
/// Importance estimation as in the reference implementations: per mini-batch, not per sample. The model is put in
/// eval mode; for each batch the batch-mean loss is back-propagated and grad² (SSD) or |grad| (LF, XLF) is added;
/// the sum is divided by the number of batches. The result therefore depends on the batch size, which the caller
/// takes from its scenario.
/// </summary>
public static class ImportanceEstimator
{
    /// <summary>
    /// Computes importances of <paramref name="model"/> over <paramref name="indices"/> (batches rewritten by
    /// <paramref name="transform"/>); a dry run's <paramref name="limits"/> stop it after their evaluation batches. <paramref name="exponent"/> is w of Potion Eq. 4 (XLF only; LF is w = 2 by definition).
    /// </summary>
    public static ParameterImportance Compute(ImageClassifier model, ImageDataset data, IReadOnlyList<int> indices, ImportanceKind kind,
        int batchSize, BatchTransform? transform = null, double exponent = 1.0, Device? device = null, IterationLimits? limits = null)
    {
        if (indices.Count == 0) throw new ArgumentException("cannot estimate importances on an empty set", nameof(indices));
        var dev = device ?? CPU;
        bool wasTraining = model.training;
        model.eval();
        var parameters = model.named_parameters().ToList();
        var sums = parameters.ToDictionary(p => p.name, p => zeros_like(p.parameter).DetachFromDisposeScope());
        int batches = 0;
        try
        {
            if (limits != null) batchSize = Math.Min(batchSize, limits.BatchSize);
            int end = limits == null ? indices.Count : Math.Min(indices.Count, limits.EvalBatches * batchSize);
            for (int start = 0; start < end; start += batchSize)
            {
                int[] batch = indices.Skip(start).Take(batchSize).ToArray();
                using var scope = NewDisposeScope();
                var (x, y) = data.Batch(batch);
                if (transform != null) (x, y) = transform(x, y, batch);
                model.zero_grad();
                var z = model.forward(x.to(dev));
                var loss = kind switch
                {
                    ImportanceKind.Ssd => nn.functional.cross_entropy(z, y.to(dev)),
                    ImportanceKind.LossFree => z.Power(2).sum(1).mean(),
                    ImportanceKind.ExponentLossFree => z.Power(2).sum(1).sqrt().Power(exponent).mean(),
                    _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown importance kind"),
                };
                loss.backward();
                using (no_grad())
                    foreach (var (name, p) in parameters)
                    {
                        if (p.grad is not { } g) continue;
                        sums[name].PlusInPlace(kind == ImportanceKind.Ssd ? g.Power(2) : g.abs());
                    }
                batches++;
            }
            foreach (var t in sums.Values) t.OverInPlace(batches);
            return new ParameterImportance(sums);
        }
        finally
        {
            model.zero_grad();
            if (wasTraining) model.train();
        }
    }

    /// <summary>I_D over the request's retain set and I_f over its forget set, each with its batch transform.</summary>
    public static (ParameterImportance ImportanceD, ParameterImportance ImportanceF) ForRequest(UnlearningRequest r, ImportanceKind kind, int batchSize, double exponent = 1.0)
    {
        var d = Compute(r.Model, r.Data, r.Retain, kind, batchSize, r.RetainTransform, exponent, r.Device, r.Training.Limits);
        try { return (d, Compute(r.Model, r.Data, r.Forget, kind, batchSize, r.ForgetTransform, exponent, r.Device, r.Training.Limits)); }
        catch { d.Dispose(); throw; }
    }
}
