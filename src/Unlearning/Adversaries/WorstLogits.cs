using Unlearning.Data;
using Unlearning.Models;
using Unlearning.Training;
using static TorchSharp.torch;

namespace Unlearning.Adversaries;

/// <summary>
/// The parameter-aware adversary of Healing §5.3 (Table 5, "worst 25 logits"): it reads the model and asks to unlearn the
/// <c>k</c> training samples the model fits worst — the lowest true-class logit margin z_y − max_{j≠y} z_j (negative for a
/// misclassified sample). Ties go to the lower index, so the choice is deterministic.
/// </summary>
public static class WorstLogits
{
    /// <summary>The margin z_y − max_{j≠y} z_j of one logit row.</summary>
    public static double Margin(ReadOnlySpan<float> logits, int label)
    {
        if ((uint)label >= (uint)logits.Length) throw new ArgumentOutOfRangeException(nameof(label), label, $"label outside the {logits.Length} logits");
        double other = double.NegativeInfinity;
        for (int j = 0; j < logits.Length; j++) if (j != label) other = Math.Max(other, logits[j]);
        return logits[label] - other;
    }

    /// <summary>The <paramref name="k"/> members of <paramref name="train"/> with the lowest margins under <paramref name="model"/>, sorted by index.</summary>
    public static int[] Select(ImageClassifier model, ImageDataset data, IReadOnlyList<int> train, int k, Device? device = null, IterationLimits? limits = null)
    {
        if (k < 1 || k > train.Count) throw new ArgumentOutOfRangeException(nameof(k), k, $"k must lie in 1..{train.Count}");
        var e = new Evaluator(device, limits: limits).Evaluate(model, data, train, keepLogits: true);
        return Enumerable.Range(0, train.Count)
            .Select(i => (Index: train[i], Margin: Margin(e.Logits![i], e.Labels[i])))
            .OrderBy(p => p.Margin).ThenBy(p => p.Index)
            .Take(k).Select(p => p.Index).Order().ToArray();
    }
}
