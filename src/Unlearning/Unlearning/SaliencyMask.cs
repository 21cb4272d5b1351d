using TorchSharp;
using Unlearning.Data;
using Unlearning.Models;
using static TorchSharp.torch;

namespace Unlearning.Unlearning;

/// <summary>
/// SalUn's weight saliency (Fan et al. 2024, used by AMUN+SalUn, AMUN App. D): the gradient of the forgetting loss
/// (cross-entropy on D_F) with respect to every weight, accumulated over D_F; the mask keeps the
/// <c>ratio</c> share of weights with the largest |gradient| (one threshold over the whole model) and zeroes the rest.
/// </summary>
public static class SaliencyMask
{
    /// <summary>Masks (1 = updatable) by parameter name; a dry run's <paramref name="limits"/> stop the gradient pass after their evaluation batches.</summary>
    public static Dictionary<string, Tensor> Compute(ImageClassifier model, ImageDataset data, IReadOnlyList<int> forget, double ratio, Device device, int batchSize = 128,
        Training.IterationLimits? limits = null)
    {
        if (!(ratio > 0 && ratio <= 1)) throw new ArgumentException($"saliency ratio {ratio} must be in (0, 1]");
        if (forget.Count == 0) throw new ArgumentException("the forget set is empty: no saliency to compute");
        var named = model.named_parameters().ToArray();
        model.eval();
        foreach (var (_, p) in named) p.grad?.zero_();
        if (limits != null) batchSize = Math.Min(batchSize, limits.BatchSize);
        int end = limits == null ? forget.Count : Math.Min(forget.Count, limits.EvalBatches * batchSize);
        for (int start = 0; start < end; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var rows = forget.Skip(start).Take(batchSize).ToArray();
            var (x, y) = data.Batch(rows);
            // float64: for a well-fit sample float32 rounds p_y to 1 and the gradient to exactly 0, which would tie most
            // weights at a saliency of 0 and turn the mask into all ones.
            var loss = nn.functional.cross_entropy(model.forward(x.to(device)).to_type(ScalarType.Float64), y.to(device), reduction: nn.Reduction.Sum).Over(forget.Count);
            loss.backward();
        }
        var magnitudes = new Dictionary<string, Tensor>();
        using (no_grad())
        {
            foreach (var (name, p) in named)
                magnitudes[name] = p.grad is { } g ? g.abs().detach().clone() : zeros_like(p);
            foreach (var (_, p) in named) p.grad?.zero_();
            using var flat = cat(magnitudes.Values.Select(m => m.flatten()).ToArray());
            long keep = Math.Max(1, (long)Math.Round(ratio * flat.numel()));
            using var sorted = flat.sort(descending: true).Values;
            double threshold = sorted[keep - 1].item<float>();
            var masks = new Dictionary<string, Tensor>();
            foreach (var (name, m) in magnitudes)
            {
                // A weight of zero saliency is never salient, even when fewer than ratio·|θ| weights have any.
                masks[name] = (threshold > 0 ? m.AtLeastMask(threshold) : m.AboveMask(0)).to_type(ScalarType.Float32);
                m.Dispose();
            }
            return masks;
        }
    }
}
